from django.conf import settings


def site(request):
    """Values every page of the shell needs."""
    return {
        "SITE_NAME": settings.SITE_NAME,
        "DEMO": settings.DEMO,
    }
