import re

from django.conf import settings
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _


class CookieLocaleMiddleware:
    """Thai unless the user chose otherwise.

    Django's LocaleMiddleware also follows the browser's Accept-Language, so a
    civil servant on an English-language Windows PC would get an English UI.
    Here only the language cookie set by the language switch counts.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ("Cookie",))
        return response


# C0 control characters and DEL. Tab, line feed and carriage return are ordinary in typed text
# (a textarea sends \r\n); anything else comes from a crafted request, never from a browser's form.
_CONTROL_IN_VALUE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CONTROL_IN_NAME = re.compile(r"[\x00-\x1f\x7f]")


def _has_control_characters(request) -> bool:
    if _CONTROL_IN_NAME.search(request.path_info):
        return True
    fields = [request.GET]
    if request.method == "POST" and request.content_type in (
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ):
        fields.append(request.POST)  # field values only: uploaded files are in request.FILES
    for data in fields:
        for name, values in data.lists():
            if _CONTROL_IN_NAME.search(name) or any(_CONTROL_IN_VALUE.search(v) for v in values):
                return True
    return False


class ControlCharacterMiddleware:
    """400 with a Thai page for NUL bytes and other control characters in the URL or a form field.

    PostgreSQL refuses NUL in text, so such a value reached a query or a save as a 500; no
    browser sends one, so the request is refused whole, before any view reads it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _has_control_characters(request):
            return render(
                request,
                "400.html",
                {"reason": _("The request contains characters that are not allowed (control characters).")},
                status=400,
            )
        return self.get_response(request)


class PrivateResponsesMiddleware:
    """``Cache-Control: no-store`` on every response to a signed-in user.

    Pages, exports and files served after an access check hold personal and unpublished data; on
    a shared office PC the browser must not keep them for the next person. Public pages (to the
    anonymous) and static files (served before this by WhiteNoise) stay cacheable.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response.headers.pop("Expires", None)
            response["Cache-Control"] = "no-store"
        return response


_DOWNLOAD_TOKEN = re.compile(r"[a-z0-9]{1,16}")


class DownloadStartedMiddleware:
    """Tells the page that asked for a file that the file is on its way (static/js/site.js).

    A download link sends ``?download=<token>``; the file's answer carries a cookie ``download_<token>``
    that the page watches for, so it can say "preparing the file…" for exactly as long as the
    server works on it. The cookie holds nothing but the token's name and lives two minutes.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not response.get("Content-Disposition", "").startswith("attachment"):
            return response
        token = request.GET.get("download", "")
        if token and _DOWNLOAD_TOKEN.fullmatch(token):
            response.set_cookie(
                f"download_{token}", "1", max_age=120, samesite="Lax", secure=request.is_secure()
            )
        return response
