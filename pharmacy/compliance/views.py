from django.shortcuts import get_object_or_404
from django.views.generic import TemplateView

from pharmacy.compliance import licensing
from pharmacy.compliance.models import PolicyPage


class LicencesView(TemplateView):
    template_name = "compliance/licences.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["licences"] = licensing.active_licences()
        return ctx


class PolicyView(TemplateView):
    template_name = "compliance/policy.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["page"] = get_object_or_404(PolicyPage, kind=kwargs["kind"])
        return ctx
