from django import forms
from oscar.apps.catalogue.reviews.forms import *  # noqa: F403
from oscar.apps.catalogue.reviews.forms import SortReviewsForm, VoteForm  # noqa: F401

STARS = [(n, f"{n} star{'s' if n > 1 else ''}") for n in range(5, 0, -1)]


class ProductReviewForm(forms.Form):
    """A customer's review. Name and email are asked of guests only; the email is
    kept for moderation and never shown."""

    score = forms.TypedChoiceField(
        label="Your rating",
        choices=STARS,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Please choose a rating from 1 to 5 stars."},
    )
    title = forms.CharField(
        label="Title",
        max_length=100,
        error_messages={"required": "Please give your review a title."},
    )
    body = forms.CharField(
        label="Your review",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Please write your review."},
    )
    name = forms.CharField(
        label="Name (shown with your review)",
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": "Please enter your name."},
    )
    email = forms.EmailField(
        label="Email",
        help_text="Your email address will not be published.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"required": "Please enter your email address."},
    )
    side_effect_reported = forms.BooleanField(
        label="This review describes a side effect I experienced.", required=False
    )
    # Left empty by people; bots fill it in. Hidden from sight and from screen readers.
    website = forms.CharField(required=False, label="Leave this field empty")

    def __init__(self, product=None, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.product = product
        if user is not None and user.is_authenticated:
            del self.fields["name"]
            del self.fields["email"]

    @property
    def is_spam(self) -> bool:
        return bool(self.cleaned_data.get("website"))
