"""Long work shows that it is working: a download link says the file is being prepared until the
server answers, and a sent form's buttons cannot be pressed a second time."""

import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from tracking.tests.browser.helpers import person, sign_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_a_download_link_is_busy_until_the_file_comes_then_ready_again(page, make_user):
    person(make_user, "admin_fund", Role.ADMIN_FUND, "ALRO-SBT", first_name="สมศรี")
    sign_in(page, "admin_fund")
    page.goto("/projects/")
    link = page.locator("a[data-download]").first
    label = link.inner_text()
    with page.expect_download() as download:
        link.click()
        expect(link).to_have_attribute("aria-busy", "true")
        expect(link).to_have_text("กำลังเตรียมไฟล์…")
    assert download.value.suggested_filename.endswith(".xlsx")
    expect(link).not_to_have_attribute("aria-busy", "true", timeout=5000)
    expect(link).to_have_text(label)


def test_a_sent_form_cannot_be_sent_twice(page, make_user):
    person(make_user, "admin_fund", Role.ADMIN_FUND, "ALRO-SBT", first_name="สมศรี")
    sign_in(page, "admin_fund")
    page.goto("/projects/import/")
    # Hold the answer back so the page stays on the sent form while it is checked.
    page.route(
        "**/projects/import/", lambda route: None if route.request.method == "POST" else route.continue_()
    )
    page.set_input_files(
        "input[type=file]",
        files=[{"name": "p.xlsx", "mimeType": "application/octet-stream", "buffer": b"PK"}],
    )
    # What the page shows once the form is sent (read in the page: the answer is still pending).
    page.evaluate(
        """() => { window.busyState = new Promise((done) => document.addEventListener("submit", () =>
            setTimeout(() => {
                const button = document.querySelector("form[data-busy] button[type=submit]");
                done([button.disabled, button.textContent, button.form.getAttribute("aria-busy")]);
            }, 50))); }"""
    )
    page.locator("form[data-busy] button[type=submit]").click(no_wait_after=True)
    assert page.evaluate("() => window.busyState") == [True, "กำลังตรวจสอบไฟล์…", "true"]
