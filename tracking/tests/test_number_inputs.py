"""Project-wide guard: no page of the site, the admin included, writes a type=number input.

A number input empties ๑๒ in the browser before the server sees it. Every URL of the
authorisation matrix is opened once by someone allowed to read it, in the matrix's demo world,
and every admin add and change page by the super admin.
"""

import re

import pytest
from django.core.cache import caches
from django.db import transaction

from tracking.tests.test_authorization_matrix import (  # noqa: F401 - world and quiet_requests are fixtures
    ACCESS,
    ROUTES,
    admin_url,
    quiet_requests,
    url_for,
    world,
)

NUMBER_INPUT = re.compile(r"""<input[^>]*\btype=["']?number\b""", re.IGNORECASE)
# Who opens a page: the first of these who may, else anyone who may.
READERS = ["super_admin", "district_recorder", "province_user", "province_confirmer", "finance_budget"]


class _Rollback(Exception):
    pass


def body_of(w, persona, url) -> str:
    client = w.clients[persona]
    cookies = client.cookies
    client.cookies = type(cookies)(cookies)
    body = ""
    try:
        with transaction.atomic():
            response = client.get(url)
            html = response.get("Content-Type", "").startswith("text/html")
            if response.status_code == 200 and not response.streaming and html:
                body = response.content.decode(errors="replace")
            raise _Rollback
    except _Rollback:
        pass
    finally:
        client.cookies = cookies
        caches["pages"].clear()
    return body


@pytest.mark.django_db
@pytest.mark.usefixtures("quiet_requests")
def test_no_page_writes_a_number_input(world):  # noqa: F811
    found, opened = [], 0
    for key, case in sorted(ACCESS.items()):
        if not case.get:
            continue
        persona = next((p for p in READERS if p in case.get), sorted(case.get)[0])
        url = url_for(ROUTES[key.split("#")[0]], case, world)
        body = body_of(world, persona, url)
        opened += bool(body)
        if NUMBER_INPUT.search(body):
            found.append(f"{url} as {persona}")
    for name, route in sorted(ROUTES.items()):
        if route.is_admin and name.endswith(("_add", "_change")):
            body = body_of(world, "super_admin", admin_url(route, world))
            opened += bool(body)
            if NUMBER_INPUT.search(body):
                found.append(f"{name} as super_admin")
    assert opened > 100  # the guard looked at the site, not at a row of errors
    assert not found, "type=number inputs drop Thai digits:\n" + "\n".join(found)
