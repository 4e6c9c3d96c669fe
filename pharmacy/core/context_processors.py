from django.conf import settings


def pharmacy(request):
    return {"pharmacy": settings.PHARMACY}
