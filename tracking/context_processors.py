from django.conf import settings


def site(request):
    """Values every page of the shell needs; the person's own (menu, session, bell) come from
    accounts.context_processors.person."""
    return {"SITE_NAME": settings.SITE_NAME, "DEMO": settings.DEMO}
