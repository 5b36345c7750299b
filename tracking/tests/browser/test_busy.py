"""Long work shows that it is working: a download link says the file is being prepared until the
server answers, and a sent form's buttons cannot be pressed a second time."""

import re

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from accounts.models import OrgUnit
from accounts.roles import Role
from tracking.tests.browser.helpers import person, sign_in, th
from tracking.tests.browser.test_workload import questionnaire  # noqa: F401 - a fixture
from workload.models import Answer, Question, Submission

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
        """() => { window.busyState = new Promise((done) => {
            document.addEventListener("submit", () => setTimeout(() => {
                const button = document.querySelector("form[data-busy] button[type=submit]");
                done([button.disabled, button.textContent, button.form.getAttribute("aria-busy")]);
            }, 50));
            // Never wait for ever: a form that was not sent fails the test instead of hanging the suite.
            setTimeout(() => done("no submit event within 15 s"), 15000);
        }); }"""
    )
    page.locator("form[data-busy] button[type=submit]").click(no_wait_after=True)
    assert page.evaluate("() => window.busyState") == [True, "กำลังตรวจสอบไฟล์…", "true"]


def test_the_years_answers_are_prepared_in_the_background_then_downloaded(
    page,
    make_user,
    questionnaire,  # noqa: F811
    settings,
    tmp_path,
):
    settings.MEDIA_ROOT = str(tmp_path)
    person(make_user, "dla_admin", Role.DLA_ADMIN, "DLA-PSD", first_name="ประภา")
    fy = questionnaire.fiscal_year
    for office in OrgUnit.objects.filter(agency="dla", kind="district").order_by("code")[:2]:
        submission = Submission.objects.create(questionnaire=questionnaire, office=office)
        for question in Question.objects.filter(aspect__questionnaire=questionnaire):
            Answer.objects.create(submission=submission, question=question, volume=3, days=1, hours=2)
    sign_in(page, "dla_admin")
    page.goto(f"/workload/{fy}/national/")
    # The national page is cached for every DLA admin; the button posts with this page's own token.
    with page.expect_navigation(url=re.compile(r"/reports/exports/\d+/$")):
        page.get_by_role("button", name=th("Download all answers (.xlsx)")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        th("All answers of fiscal year %(fy)s (.xlsx)") % {"fy": fy}
    )
    link = page.get_by_role("link", name=re.compile(th("Download")))
    expect(link).to_be_visible(timeout=20_000)  # a thread prepares it; the page asks every second
    expect(page.get_by_text(th("The file is ready."))).to_be_visible()
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename.endswith(".xlsx")
    with open(download.value.path(), "rb") as file:
        rows = list(load_workbook(file).active.iter_rows(values_only=True))
    assert len(rows) == 1 + 2 * 8
