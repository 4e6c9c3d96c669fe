"""The Sites framework's domain follows PUBLIC_BASE_URL, so anything of Oscar's or
Django's that still builds links from the current Site points at this store,
never at example.com."""

from urllib.parse import urlsplit

from django.conf import settings


def site_domain_sync(*, using: str = "default") -> None:
    from django.contrib.sites.models import Site

    domain = urlsplit(settings.PUBLIC_BASE_URL).netloc
    Site.objects.using(using).update_or_create(
        pk=settings.SITE_ID,
        defaults={"domain": domain, "name": settings.PHARMACY["name"][:50]},
    )
    Site.objects.clear_cache()


def site_domain_after_migrate(sender, using="default", **kwargs) -> None:
    site_domain_sync(using=using)
