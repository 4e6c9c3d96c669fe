import oscar.apps.partner.apps as apps


class PartnerConfig(apps.PartnerConfig):
    # Forked only to replace partner.strategy (availability rules); label `partner`.
    name = "catalog.partner"
