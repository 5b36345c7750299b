"""Error pages are in Thai and keep the site shell where they can."""

import io
import logging

import pytest
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.test import Client
from django.urls import path

from tracking.urls import urlpatterns as site_patterns

pytestmark = pytest.mark.django_db


def denied(request):
    raise PermissionDenied


def suspicious(request):
    raise SuspiciousOperation("bad")


def broken(request):
    raise RuntimeError("boom")


urlpatterns = [
    path("test/denied/", denied),
    path("test/suspicious/", suspicious),
    path("test/broken/", broken),
    *site_patterns,
]


@pytest.fixture
def error_urls(settings):
    settings.ROOT_URLCONF = __name__


def test_404_is_thai(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "ไม่พบหน้าที่ต้องการ" in body
    assert "กลับสู่หน้าแรก" in body


def test_403_is_thai(error_urls, member_client):
    response = member_client.get("/test/denied/")
    assert response.status_code == 403
    assert "ไม่มีสิทธิ์เข้าถึง" in response.content.decode()


def test_400_is_thai(error_urls, member_client):
    response = member_client.get("/test/suspicious/")
    assert response.status_code == 400
    assert "คำขอไม่ถูกต้อง" in response.content.decode()


def test_500_is_thai(error_urls, member):
    client = Client(raise_request_exception=False)
    client.force_login(member)
    response = client.get("/test/broken/")
    assert response.status_code == 500
    assert "ระบบขัดข้อง" in response.content.decode()


def test_expired_csrf_token_gets_a_thai_page(member):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    response = client.post("/i18n/setlang/", {"language": "en"})
    assert response.status_code == 403
    assert "แบบฟอร์มหมดอายุ" in response.content.decode()


def test_404_in_english(english):
    response = english.get("/no-such-page/")
    assert "Page not found" in response.content.decode()


def test_403_is_logged_as_one_line_without_traceback(error_urls, member_client, caplog):
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    logging.getLogger().addHandler(handler)
    try:
        with caplog.at_level(logging.WARNING, logger="django.request"):
            member_client.get("/test/denied/")
    finally:
        logging.getLogger().removeHandler(handler)
    assert stream.getvalue() == "WARNING Forbidden (Permission denied): /test/denied/\n"
    (record,) = [r for r in caplog.records if r.name == "django.request"]
    assert record.exc_info is None
