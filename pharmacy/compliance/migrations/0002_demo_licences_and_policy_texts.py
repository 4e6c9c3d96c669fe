"""Demo data: licences in every state but Alaska and Hawaii, and template texts
for the four policy pages. A real pharmacy replaces both in the admin."""

from django.db import migrations

# Every state and DC is licensed in the demo except these two, so the refusal
# at checkout can be seen (the README names them).
UNLICENSED_DEMO_STATES = ("AK", "HI")

POLICIES = {
    "notice-of-privacy-practices": (
        "Notice of Privacy Practices",
        """This notice describes how medical information about you may be used and disclosed, and how you can get access to this information. Please read it carefully.

Our duties

- We are required by law to keep your protected health information private.
- We must give you this notice of our legal duties and privacy practices, and follow the notice currently in effect.
- We will tell you if a breach compromises the privacy or security of your information.

How we use and share your health information

- Treatment: our pharmacists use your prescription, your medicines and your allergies to check that a medicine is safe for you, and may contact your prescriber about it.
- Payment: we use the information needed to take payment for your order or to bill a payer you choose.
- Health care operations: we use information to run the pharmacy, for example to check the quality of our work and to train staff.
- As required by law: for example to the state board of pharmacy, to public health authorities, or in answer to a court order.

We never sell your health information and never use it for marketing without your written permission.

Your rights

- You may ask to see or get a copy of your prescription records.
- You may ask us to correct information you believe is wrong.
- You may ask us to limit what we use or share, and to contact you in a particular way.
- You may ask for a list of the times we shared your information, other than for treatment, payment and operations.
- You may get a paper copy of this notice at any time.

Questions and complaints

Contact our privacy officer at the pharmacy's address and phone number shown at the foot of every page. You may also complain to the US Department of Health and Human Services Office for Civil Rights. We will not retaliate against you for filing a complaint.""",
    ),
    "privacy-policy": (
        "Privacy policy",
        """This policy explains what this website collects and why. Health information is also covered by our Notice of Privacy Practices.

What we collect

- Your name, email address, delivery address and phone number, to deliver your order and tell you about it.
- The patient's details and prescription, only for our pharmacists to check that a medicine is safe and lawful to supply.
- Payment details, which go straight to our card processor; we never see or keep your full card number.
- A small number of cookies that keep your basket and your sign-in working. We use no advertising cookies.

How long we keep it

Prescription records are kept for as long as pharmacy law requires. Other account information is kept while you have an account with us, and deleted or anonymised after you close it unless the law requires us to keep it.

Emails

We send emails about your orders. Refill reminders are sent only if you ask for them, and every reminder has a link to stop them without signing in.""",
    ),
    "terms-of-sale": (
        "Terms of sale",
        """These terms apply to every order placed on this website.

Prescription medicines

- We supply prescription-only medicines only against a valid prescription for the patient named in the order.
- A pharmacist checks every prescription order before anything is dispatched or charged, and may refuse or cancel an order if supplying it would not be safe or lawful.
- We deliver only to addresses in the states where the pharmacy is licensed (see Licences).

Prices and payment

- Prices are in US dollars and include no sales tax, as prescription medicines are exempt. Delivery is charged as shown at checkout.
- A card is authorised when you order and charged only after our pharmacist approves the order; an invoice is issued after approval.

Delivery

Delivery times start when the pharmacist approves the order. We will tell you if an order is delayed.""",
    ),
    "returns": (
        "Returns policy",
        """Prescription medicines cannot be returned once they have been dispatched. This protects every patient: we can never be sure how a returned medicine was stored, so it could not be supplied to anyone again.

You can cancel an order at no cost until it is dispatched: contact us by phone or email.

If your order arrives damaged, incomplete or not as prescribed, contact us within 14 days. Our pharmacist will arrange a replacement or a refund; please do not take a medicine that looks wrong.""",
    ),
}


def _us_states_and_dc():
    from localflavor.us.us_states import US_STATES

    return {code for code, _ in US_STATES} | {"DC"}


def forwards(apps, schema_editor):
    StateLicence = apps.get_model("compliance", "StateLicence")
    PolicyPage = apps.get_model("compliance", "PolicyPage")
    for number, state in enumerate(sorted(_us_states_and_dc()), start=1):
        if state in UNLICENSED_DEMO_STATES:
            continue
        StateLicence.objects.get_or_create(
            state=state,
            defaults={"licence_number": f"DEMO-{state}-{number:04d} (not real)"},
        )
    for kind, (title, body) in POLICIES.items():
        PolicyPage.objects.get_or_create(
            kind=kind,
            # is_template stays on: the page says counsel must review it.
            defaults={"title": title, "body": body, "is_template": True},
        )


class Migration(migrations.Migration):
    dependencies = [("compliance", "0001_state_licence_policy_page")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
