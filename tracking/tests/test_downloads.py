"""A download link learns that its file is on the way: the answer carries the link's token as a
short-lived cookie, and nothing else can be put into a cookie name this way."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_answer_to_a_download_carries_its_token_as_a_cookie(super_client):
    response = super_client.get(reverse("projects:export"), {"fy": 2570, "download": "abc123"})
    assert response.status_code == 200
    cookie = response.cookies["download_abc123"]
    assert cookie.value == "1" and cookie["max-age"] == 120 and not cookie["httponly"]


@pytest.mark.parametrize("token", ["", "A" * 40, "x;y", "bad token", "ก"])
def test_other_tokens_set_no_cookie(super_client, token):
    response = super_client.get(reverse("projects:export"), {"fy": 2570, "download": token})
    assert not [name for name in response.cookies if name.startswith("download_")]
