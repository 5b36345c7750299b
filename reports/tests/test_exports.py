"""Exports prepared in the background: the job's life, who may have its file, expiry, and that the
prepared workbook is the one the direct download gives."""

import dataclasses
import datetime as dt
import io
import time
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from accounts.models import OrgUnit
from reports import exports
from reports.models import PreparedExport
from workload.models import Answer, Aspect, Question, Questionnaire, Submission

KIND = "workload-answers"
FAILED = "ไม่สามารถเตรียมไฟล์ได้"
EXPIRED = "ไฟล์นี้หมดอายุ"


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.EXPORTS_IN_BACKGROUND = False


@pytest.fixture
def answered(db):
    """FY 2570 with two aspects of two questions, answered by three district offices."""
    today = timezone.localdate()
    questionnaire = Questionnaire.objects.create(
        fiscal_year=2570, opens_on=today - dt.timedelta(days=10), closes_on=today + dt.timedelta(days=30)
    )
    questions = []
    for number in (1, 2):
        aspect = Aspect.objects.create(questionnaire=questionnaire, number=number, title=f"ด้านที่ {number}")
        for order in (1, 2):
            questions.append(
                Question.objects.create(aspect=aspect, order=order, text=f"งาน {number}.{order}", unit="ครั้ง")
            )
    offices = OrgUnit.objects.filter(agency="dla", kind="district").order_by("code")[:3]
    for index, office in enumerate(offices):
        submission = Submission.objects.create(questionnaire=questionnaire, office=office)
        for question in questions:
            Answer.objects.create(
                submission=submission,
                question=question,
                volume=Decimal(index + question.order),
                days=Decimal("1.5"),
                hours=Decimal(2),
            )
    return questionnaire


@pytest.fixture
def dla_admin(make_user):
    from accounts.roles import Role

    return make_user("dla_admin", roles=[Role.DLA_ADMIN], unit="DLA-PSD")


@pytest.fixture
def admin_client(client, dla_admin):
    client.force_login(dla_admin)
    return client


def start_url():
    return reverse("reports:export_start", args=[KIND])


def start(client, fy=2570):
    return client.post(start_url(), {"fy": fy})


def sheet_values(content: bytes) -> dict:
    book = openpyxl.load_workbook(io.BytesIO(content))
    return {sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)] for sheet in book}


def test_pressing_the_button_records_a_job_and_sends_to_its_page(admin_client, answered, dla_admin):
    response = start(admin_client)
    job = PreparedExport.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("reports:export", args=[job.pk])
    assert (job.user, job.kind, job.params, job.status) == (dla_admin, KIND, {"fy": 2570}, "waiting")
    assert job.expires_at > timezone.now() + dt.timedelta(hours=23)


def test_htmx_press_is_sent_to_the_job_page_by_htmx(admin_client, answered):
    response = admin_client.post(start_url(), {"fy": 2570}, headers={"HX-Request": "true"})
    assert response.headers["HX-Redirect"] == reverse(
        "reports:export", args=[PreparedExport.objects.get().pk]
    )


def test_prepared_file_equals_the_direct_export(admin_client, answered, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        start(admin_client)
    job = PreparedExport.objects.get()
    assert (job.status, job.progress) == ("ready", 100)
    assert default_storage.exists(job.file.name)
    assert job.file.name.startswith("private/exports/")

    prepared = admin_client.get(reverse("reports:export_file", args=[job.pk]))
    direct = admin_client.get(reverse("workload:export", args=[2570]))
    assert prepared.status_code == direct.status_code == 200
    assert prepared["Content-Type"] == direct["Content-Type"]
    assert prepared["Content-Disposition"] == direct["Content-Disposition"]
    prepared_sheets = sheet_values(b"".join(prepared.streaming_content))
    assert prepared_sheets == sheet_values(b"".join(direct.streaming_content))
    (rows,) = prepared_sheets.values()
    assert len(rows) == 1 + 3 * 4  # the header and every answer


def test_progress_is_reported_while_rows_are_written(answered, dla_admin, monkeypatch):
    seen = []
    spec = exports.KINDS[KIND]

    def build(user, params, progress):
        def watched(done, total):
            progress(done, total)
            seen.append(PreparedExport.objects.values_list("status", "progress").get())

        return spec.build(user, params, watched)

    monkeypatch.setattr("workload.exports.PROGRESS_EVERY", 5)
    monkeypatch.setitem(exports.KINDS, KIND, dataclasses.replace(spec, build=build))
    job = exports.prepared_export_start(by=dla_admin, kind=KIND, params={"fy": 2570})
    exports.prepared_export_run(job_id=job.pk)
    # 12 rows, reported after 5, 10 and all of them: that share of the rows' 95 %.
    assert seen == [("running", 39), ("running", 79), ("running", 95)]
    job.refresh_from_db()
    assert (job.status, job.progress) == ("ready", 100)


def test_page_polls_and_shows_the_progress_while_preparing(admin_client, answered, dla_admin):
    job = exports.prepared_export_start(by=dla_admin, kind=KIND, params={"fy": 2570})
    PreparedExport.objects.filter(pk=job.pk).update(status="running", progress=42)
    page = admin_client.get(reverse("reports:export", args=[job.pk])).content.decode()
    assert "42%" in page and 'value="42"' in page
    assert f'hx-get="{reverse("reports:export", args=[job.pk])}"' in page
    assert reverse("reports:export_file", args=[job.pk]) not in page

    partial = admin_client.get(reverse("reports:export", args=[job.pk]), headers={"HX-Request": "true"})
    assert b"<html" not in partial.content and b"42%" in partial.content


def test_page_offers_the_file_when_ready_and_stops_polling(
    admin_client, answered, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        start(admin_client)
    job = PreparedExport.objects.get()
    page = admin_client.get(reverse("reports:export", args=[job.pk]), headers={"HX-Request": "true"})
    html = page.content.decode()
    assert reverse("reports:export_file", args=[job.pk]) in html
    assert "hx-get" not in html


def test_pressing_twice_leads_to_the_same_job(admin_client, answered):
    first = start(admin_client)
    second = start(admin_client)
    assert first.url == second.url
    assert PreparedExport.objects.count() == 1


def test_a_job_silent_too_long_is_shown_failed_and_a_new_press_starts_afresh(admin_client, answered):
    start(admin_client)
    job = PreparedExport.objects.get()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(timezone, "now", lambda: job.updated_at + dt.timedelta(minutes=6))
        page = admin_client.get(reverse("reports:export", args=[job.pk])).content.decode()
        assert FAILED in page and "hx-get" not in page
        start(admin_client)
    assert PreparedExport.objects.count() == 2


def test_a_failing_build_marks_the_job_failed(admin_client, answered, dla_admin, monkeypatch, caplog):
    def broken(user, params, progress):
        raise RuntimeError("disk full")

    monkeypatch.setitem(exports.KINDS, KIND, dataclasses.replace(exports.KINDS[KIND], build=broken))
    job = exports.prepared_export_start(by=dla_admin, kind=KIND, params={"fy": 2570})
    exports.prepared_export_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == "failed" and not job.file
    assert admin_client.get(reverse("reports:export_file", args=[job.pk])).status_code == 404
    assert FAILED in admin_client.get(reverse("reports:export", args=[job.pk])).content.decode()


def test_a_job_of_someone_who_lost_the_role_meanwhile_fails(answered, dla_admin):
    job = exports.prepared_export_start(by=dla_admin, kind=KIND, params={"fy": 2570})
    dla_admin.groups.clear()
    exports.prepared_export_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == "failed"


def test_a_job_runs_once(answered, dla_admin):
    job = exports.prepared_export_start(by=dla_admin, kind=KIND, params={"fy": 2570})
    exports.prepared_export_run(job_id=job.pk)
    name = PreparedExport.objects.get().file.name
    exports.prepared_export_run(job_id=job.pk)
    assert PreparedExport.objects.get().file.name == name


def test_another_user_gets_404_for_the_page_and_the_file(
    client, admin_client, answered, make_user, django_capture_on_commit_callbacks
):
    from accounts.roles import Role

    with django_capture_on_commit_callbacks(execute=True):
        start(admin_client)
    job = PreparedExport.objects.get()
    other = make_user("other_admin", roles=[Role.SUPER_ADMIN], unit="ALRO-ICT")
    client.force_login(other)
    assert client.get(reverse("reports:export", args=[job.pk])).status_code == 404
    assert client.get(reverse("reports:export_file", args=[job.pk])).status_code == 404


def test_an_expired_file_is_404_and_is_removed_when_anyone_starts_a_job(
    client, admin_client, answered, make_user, django_capture_on_commit_callbacks
):
    from accounts.roles import Role

    with django_capture_on_commit_callbacks(execute=True):
        start(admin_client)
    job = PreparedExport.objects.get()
    PreparedExport.objects.filter(pk=job.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert admin_client.get(reverse("reports:export_file", args=[job.pk])).status_code == 404
    assert EXPIRED in admin_client.get(reverse("reports:export", args=[job.pk])).content.decode()

    client.force_login(make_user("other_admin", roles=[Role.SUPER_ADMIN], unit="ALRO-ICT"))
    with django_capture_on_commit_callbacks(execute=True):
        start(client)
    assert not PreparedExport.objects.filter(pk=job.pk).exists()
    assert not default_storage.exists(job.file.name)


def test_only_the_dla_centre_may_start_it(client, answered, make_user):
    from accounts.roles import Role

    client.force_login(make_user("confirmer", roles=[Role.PROVINCE_CONFIRMER], unit="DLA-P50"))
    assert start(client).status_code == 403
    assert not PreparedExport.objects.exists()


def test_anonymous_is_sent_to_sign_in(client, answered):
    response = start(client)
    assert response.status_code == 302 and reverse("account_login") in response.url


def test_starting_takes_post_only(admin_client, answered):
    assert admin_client.get(start_url(), {"fy": 2570}).status_code == 405


@pytest.mark.parametrize("fy", ["", "abc", "2590", "99999999999999999999"])
def test_a_year_without_questionnaire_is_404_and_records_nothing(admin_client, answered, fy):
    assert start(admin_client, fy=fy).status_code == 404
    assert not PreparedExport.objects.exists()


def test_an_unknown_kind_is_404(admin_client, answered):
    assert (
        admin_client.post(reverse("reports:export_start", args=["everything"]), {"fy": 2570}).status_code
        == 404
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_thread_of_the_web_process_prepares_the_file(client, answered, dla_admin, settings):
    settings.EXPORTS_IN_BACKGROUND = True
    client.force_login(dla_admin)
    start(client)
    job = PreparedExport.objects.get()
    deadline = time.monotonic() + 30
    while job.status not in ("ready", "failed") and time.monotonic() < deadline:
        time.sleep(0.2)
        job.refresh_from_db()
    assert job.status == "ready"
    assert client.get(reverse("reports:export_file", args=[job.pk])).status_code == 200
