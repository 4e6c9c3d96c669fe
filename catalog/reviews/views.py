from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import FormView
from oscar.apps.catalogue.reviews.views import *  # noqa: F403
from oscar.apps.catalogue.reviews.views import AddVoteView as OscarAddVoteView
from oscar.apps.catalogue.reviews.views import (
    ProductReviewDetail as OscarProductReviewDetail,
)

from catalog.models import Product
from catalog.reviews import services
from catalog.reviews.forms import ProductReviewForm
from catalog.reviews.models import ProductReview

MODERATION_MESSAGE = "Thank you! Your review will appear once it has been approved."


def side_effect_advice() -> str:
    phone = settings.PHARMACY["phone"]
    return (
        "You told us about a side effect. Our pharmacist will be in touch. To report "
        f"it yourself, call the pharmacy on {phone}, or tell the FDA through MedWatch "
        "at www.fda.gov/medwatch or 1-800-FDA-1088. If it is severe, call 911."
    )


class CreateProductReview(FormView):
    """Posts a review for moderation. On an error the form comes back with the
    messages beside their fields and everything typed still in place."""

    template_name = "oscar/catalogue/reviews/review_form.html"
    form_class = ProductReviewForm

    def dispatch(self, request, *args, **kwargs):
        self.product = get_object_or_404(
            Product.objects.browsable(), pk=kwargs["product_pk"]
        )
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "product": self.product,
            "user": self.request.user,
        }

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "product": self.product}

    def form_valid(self, form):
        if form.is_spam:
            # Look like success so the bot learns nothing; save nothing.
            messages.success(self.request, MODERATION_MESSAGE)
            return redirect(self.product.get_absolute_url() + "#reviews")
        try:
            review = services.review_create(
                product=self.product,
                user=self.request.user,
                data=form.cleaned_data,
                ip_hash=services.ip_fingerprint(
                    ip=self.request.META.get("REMOTE_ADDR", "")
                ),
            )
        except services.ReviewRefused as exc:
            form.add_error(None, str(exc))
            return self.form_invalid(form)
        messages.success(self.request, MODERATION_MESSAGE)
        if review.side_effect_reported:
            messages.info(self.request, side_effect_advice())
        return redirect(self.product.get_absolute_url() + "#reviews")


def _published(kwargs):
    """Approved reviews of the product in the URL: the only ones the public sees.
    A pending or rejected review (a side-effect report among them) stays private."""
    return ProductReview.objects.filter(
        status=ProductReview.APPROVED, product_id=kwargs["product_pk"]
    )


class ProductReviewDetail(OscarProductReviewDetail):
    def get_queryset(self):
        return _published(self.kwargs)


class AddVoteView(OscarAddVoteView):
    def post(self, request, *args, **kwargs):
        get_object_or_404(_published(kwargs), pk=kwargs["pk"])
        # The vote and the review's new totals are saved together.
        with transaction.atomic():
            return super().post(request, *args, **kwargs)
