"""District recording, province review and the national overview, for every role that matters."""

import datetime as dt
import io
import re

import pytest
from django.core import mail
from django.urls import reverse
from openpyxl import load_workbook

from workload import services
from workload.models import Answer, ExtraItem, Question, Submission
from workload.tests.conftest import CONTACT, aspect_post, complete

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"workload:{name}", args=args)


def version_in(response) -> str:
    """The version a confirm button carries."""
    return re.search(r'name="version" value="([^"]*)"', response.content.decode()).group(1)


def seen_in(response) -> dict:
    """The versions the province's "confirm all complete" form carries."""
    return dict(re.findall(r'name="(seen_\d+)" value="([^"]*)"', response.content.decode()))


def office_url(name, code="DLA-D5001", *extra):
    return url(name, 2570, code, *extra)


# --- the district recorder ---------------------------------------------------------------


def test_recorder_is_sent_to_own_office(client, people, questionnaire):
    client.force_login(people["recorder"])
    response = client.get(url("index"))
    assert response["Location"] == office_url("status")


def test_recorder_fills_an_aspect_and_sees_the_status_change(client, people, questionnaire, submission):
    client.force_login(people["recorder"])
    body = client.get(office_url("aspect", "DLA-D5001", 1)).content.decode()
    assert "data-draft" in body
    response = client.post(office_url("aspect", "DLA-D5001", 1), aspect_post(questionnaire, 1))
    assert response.status_code == 302
    assert Answer.objects.filter(submission=submission).count() == 2
    body = client.get(office_url("status")).content.decode()
    assert body.count("st-complete") >= 1


def test_saving_an_aspect_writes_only_the_answers_that_changed(
    people, questionnaire, submission, django_assert_num_queries
):
    aspect = questionnaire.aspects.get(number=1)
    first, second = aspect.questions.all()[:2]
    save = services.aspect_save
    save(
        submission=submission,
        aspect=aspect,
        by=people["recorder"],
        rows={first.pk: (3, 1, 2), second.pk: (4, 1, 2)},
    )
    kept = Answer.objects.get(submission=submission, question=second)
    # savepoint, the submission locked, its saved answers, the aspect's questions, its time stamped,
    # release: no answer written
    with django_assert_num_queries(6):
        save(
            submission=submission,
            aspect=aspect,
            by=people["recorder"],
            rows={first.pk: (3, 1, 2), second.pk: (4, 1, 2)},
        )
    # the first emptied, the second changed: the first deleted, the second updated in its own row
    save(submission=submission, aspect=aspect, by=people["recorder"], rows={second.pk: (5, 1, 2)})
    assert list(Answer.objects.filter(submission=submission).values_list("question_id", "volume")) == [
        (second.pk, 5)
    ]
    assert Answer.objects.get(submission=submission, question=second).pk == kept.pk


def test_a_question_answered_in_part_or_out_of_bounds_is_refused_and_nothing_is_saved(
    client, people, questionnaire, submission
):
    client.force_login(people["recorder"])
    question = Question.objects.filter(aspect__questionnaire=questionnaire, aspect__number=1).first()
    data = aspect_post(questionnaire, 1, **{f"q{question.pk}_hours": "24", f"q{question.pk}_volume": ""})
    response = client.post(office_url("aspect", "DLA-D5001", 1), data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "กรุณากรอกปริมาณงาน จำนวนวัน และจำนวนชั่วโมงให้ครบทั้งสามช่อง" in body
    assert "row-error" in body
    assert 'value="3"' in body  # what was typed stays
    assert not Answer.objects.filter(submission=submission).exists()
    response = client.post(office_url("aspect", "DLA-D5001", 1), aspect_post(questionnaire, 1, volume="-1"))
    assert response.status_code == 200
    assert not Answer.objects.filter(submission=submission).exists()


def test_contact_details_with_districts_of_the_province_only(client, people, questionnaire, submission):
    from accounts.models import District

    client.force_login(people["recorder"])
    own = District.objects.get(code="5001").pk
    other_province = District.objects.get(code="5701").pk
    response = client.post(office_url("contact"), {**CONTACT, "covered_districts": [own, other_province]})
    assert response.status_code == 200
    assert not submission.covered.exists()
    response = client.post(office_url("contact"), {**CONTACT, "covered_districts": [own]})
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.contact_name == CONTACT["contact_name"]
    assert list(submission.covered.values_list("district__code", flat=True)) == ["5001"]


def test_extra_items_add_edit_delete(client, people, questionnaire, submission):
    client.force_login(people["recorder"])
    item = {
        "description": "ประสานงานโครงการพิเศษของจังหวัด",
        "unit": "ครั้ง",
        "volume": "4",
        "days": "1",
        "hours": "0",
    }
    assert client.post(office_url("extra_new"), item).status_code == 302
    extra = ExtraItem.objects.get(submission=submission)
    assert (
        client.post(office_url("extra_edit", "DLA-D5001", extra.pk), {**item, "volume": "6"}).status_code
        == 302
    )
    extra.refresh_from_db()
    assert extra.volume == 6
    assert (
        "ประสานงานโครงการพิเศษ"
        in client.get(office_url("extra_delete", "DLA-D5001", extra.pk)).content.decode()
    )
    assert ExtraItem.objects.filter(pk=extra.pk).exists()  # GET only asks
    assert client.post(office_url("extra_delete", "DLA-D5001", extra.pk)).status_code == 302
    assert not ExtraItem.objects.filter(pk=extra.pk).exists()


@pytest.mark.parametrize("name", ["recorder_same_province", "recorder_b", "confirmer_b"])
def test_others_cannot_see_an_office_at_all(client, people, questionnaire, name):
    client.force_login(people[name])
    for page in ("status", "contact", "extras"):
        assert client.get(office_url(page)).status_code == 404, page
    assert client.get(office_url("aspect", "DLA-D5001", 1)).status_code == 404
    assert client.post(office_url("aspect", "DLA-D5001", 1), aspect_post(questionnaire, 1)).status_code == 404
    assert client.post(office_url("confirm")).status_code == 404
    assert not Answer.objects.exists()


@pytest.mark.parametrize("name", ["sso", "province_user"])
def test_roles_outside_the_workload_get_403(client, people, questionnaire, name):
    client.force_login(people[name])
    assert client.get(office_url("status")).status_code == 403
    assert client.get(url("province", 2570, "50")).status_code == 403


def test_province_confirmer_reads_but_cannot_type_a_district_answers(
    client, people, questionnaire, submission
):
    client.force_login(people["confirmer"])
    body = client.get(office_url("aspect", "DLA-D5001", 1)).content.decode()
    assert "อ่านอย่างเดียว" in body
    assert "<fieldset disabled" in body
    assert client.post(office_url("aspect", "DLA-D5001", 1), aspect_post(questionnaire, 1)).status_code == 403
    assert not Answer.objects.exists()


@pytest.mark.parametrize("volume", ["4", "-1"])  # a save that validates and one that does not
def test_a_confirmed_aspect_refuses_a_save_with_its_reason(client, people, questionnaire, submission, volume):
    complete(submission, people["recorder"])
    services.submission_confirm(submission=submission, by=people["confirmer"])
    saved = sorted(Answer.objects.values_list("pk", "volume"))
    client.force_login(people["recorder"])
    response = client.post(office_url("aspect", "DLA-D5001", 1), aspect_post(questionnaire, 1, volume=volume))
    assert response.status_code == 403
    assert "จังหวัดยืนยันข้อมูลแล้ว" in response.content.decode()
    assert sorted(Answer.objects.values_list("pk", "volume")) == saved


def test_recording_outside_the_window_is_refused_with_the_dates(client, people, questionnaire, submission):
    questionnaire.opens_on = dt.date(2025, 11, 1)
    questionnaire.closes_on = dt.date(2026, 1, 31)
    questionnaire.save()
    client.force_login(people["recorder"])
    body = client.get(office_url("aspect", "DLA-D5001", 1)).content.decode()
    assert "1 พ.ย. 2568" in body and "31 ม.ค. 2569" in body
    assert client.post(office_url("aspect", "DLA-D5001", 1), aspect_post(questionnaire, 1)).status_code == 403
    assert not Answer.objects.exists()


# --- the province ------------------------------------------------------------------------------


def test_confirm_needs_a_complete_district(client, people, questionnaire, submission):
    client.force_login(people["confirmer"])
    response = client.post(office_url("confirm"), follow=True)
    assert "ยังไม่ได้เริ่มบันทึก ทั้งข้อมูลติดต่อและข้อมูลทุกด้าน" in response.content.decode()
    submission.refresh_from_db()
    assert submission.confirmed_at is None


def test_confirm_locks_and_the_district_sees_why(client, people, questionnaire, submission):
    complete(submission, people["recorder"])
    client.force_login(people["recorder"])
    assert client.post(office_url("confirm")).status_code == 403  # a recorder cannot confirm
    client.force_login(people["confirmer"])
    client.post(office_url("confirm"), {"version": version_in(client.get(office_url("status")))})
    submission.refresh_from_db()
    assert submission.confirmed_by == people["confirmer"]
    client.force_login(people["recorder"])
    body = client.get(office_url("aspect", "DLA-D5001", 2)).content.decode()
    assert "ยืนยันโดยจังหวัด" in body
    assert "data-draft" not in body
    response = client.post(office_url("aspect", "DLA-D5001", 2), aspect_post(questionnaire, 2, volume="99"))
    assert response.status_code == 403
    assert not Answer.objects.filter(volume=99).exists()
    assert client.post(office_url("contact"), {**CONTACT, "contact_name": "อื่น"}).status_code == 403
    record = client.get(office_url("record"))
    assert record.status_code == 200
    assert submission.digest in record.content.decode()
    assert "ข้อมูลไม่มีการเปลี่ยนแปลง" in record.content.decode()


def test_other_province_confirmer_cannot_confirm(client, people, questionnaire, submission):
    complete(submission, people["recorder"])
    client.force_login(people["confirmer_b"])
    assert client.post(office_url("confirm")).status_code == 404
    assert client.post(url("confirm_complete", 2570, "50")).status_code == 404
    submission.refresh_from_db()
    assert submission.confirmed_at is None


def test_bulk_confirm_takes_only_complete_districts(client, people, questionnaire, submission):
    complete(submission, people["recorder"])
    client.force_login(people["confirmer"])
    client.post(url("confirm_complete", 2570, "50"), seen_in(client.get(url("province", 2570, "50"))))
    confirmed = Submission.objects.filter(confirmed_at__isnull=False)
    assert list(confirmed.values_list("office__code", flat=True)) == ["DLA-D5001"]


def test_reminder_goes_to_incomplete_districts_recorders_with_a_verified_email(
    client, people, questionnaire, submission, django_capture_on_commit_callbacks
):
    from allauth.account.models import EmailAddress

    from accounts.models import User

    EmailAddress.objects.create(
        user=people["recorder"], email="rec@example.go.th", verified=True, primary=True
    )
    User.objects.filter(pk=people["recorder"].pk).update(email="rec@example.go.th")
    client.force_login(people["confirmer"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("remind", 2570, "50"))
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["rec@example.go.th"]


def test_province_review_query_count_does_not_grow(
    client, people, questionnaire, django_assert_max_num_queries
):
    client.force_login(people["dla_admin"])
    # Chiang Mai has 25 district offices, Chiang Rai 18: the same number of queries.
    from django.core.cache import caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for code in ("50", "57"):
        caches["pages"].clear()  # the peers' statistics (workload.outliers) are computed each time
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url("province", 2570, code)).status_code == 200
        counts.append(len(ctx.captured_queries))
    # session, user with their unit, roles, questionnaire, province, the version of what the table
    # shows (it is then made: test_review_cache.py), submissions with their figures, question totals,
    # covered names; outlier flags: the year's figures version, peers' volumes and times, last year's
    # answers, the questionnaire's questions, the province's answers, checks
    assert counts == [16, 16]


def test_status_page_query_count_is_fixed(client, people, questionnaire, submission):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(people["recorder"])
    page = url("status", 2570, submission.office.code)
    counts = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(page).status_code == 200
        counts.append(len(ctx.captured_queries))
        complete(submission, people["recorder"])  # every answer, contact and covered district
    # session, user with their unit, roles, questionnaire, submission, figures (once, for statuses
    # and hours), aspects with their question totals, covered districts, reopenings
    assert counts == [9, 9]


def test_the_office_menu_marks_the_aspect_shown(client, people, questionnaire, submission):
    client.force_login(people["recorder"])
    body = client.get(office_url("aspect", "DLA-D5001", 3)).content.decode()
    current = re.findall(r'<a href="([^"]*)" aria-current="page"', body)
    assert current == [office_url("aspect", "DLA-D5001", 3)]


def test_aspect_page_and_its_save_take_a_fixed_number_of_queries(client, people, questionnaire, submission):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(people["recorder"])
    page = office_url("aspect", "DLA-D5001", 1)
    counts = []
    for volume in ("3", "4"):  # the first save writes every answer, the second changes them
        data = aspect_post(questionnaire, 1, volume=volume)
        with CaptureQueriesContext(connection) as shown:
            assert client.get(page).status_code == 200
        with CaptureQueriesContext(connection) as saved:
            assert client.post(page, data).status_code == 302
        counts.append((len(shown), len(saved)))
    # shown: session, user with their unit, roles, questionnaire, submission, aspects with their
    # question totals, the aspect's questions, its answers, figures.
    # saved: session, user with their unit, roles, questionnaire, submission, the aspect with its
    # questions, savepoint, the submission locked, its saved answers, the answers written, its time
    # stamped, release (the menu is not read for a save).
    assert counts == [(9, 12), (9, 12)]


def test_province_review_lists_every_office_of_the_province(client, people, questionnaire):
    client.force_login(people["confirmer"])
    body = client.get(url("province", 2570, "50")).content.decode()
    assert body.count("workload/2570/office/DLA-D50") == 25
    assert "DLA-D5701" not in body
    assert client.get(url("province", 2570, "57")).status_code == 404


# --- the DLA ---------------------------------------------------------------------------------------------


def test_national_overview_and_export(client, people, questionnaire, submission):
    complete(submission, people["recorder"])
    client.force_login(people["dla_admin"])
    body = client.get(url("national", 2570)).content.decode()
    assert "เชียงใหม่" in body
    response = client.get(url("export", 2570))
    assert response.status_code == 200
    workbook = load_workbook(filename=__import__("io").BytesIO(b"".join(response.streaming_content)))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0][0] == "จังหวัด"
    assert len(rows) == 1 + 16
    assert rows[1][1] == "DLA-D5001"


@pytest.mark.parametrize("name", ["recorder", "confirmer"])
def test_national_pages_are_for_the_dla_only(client, people, questionnaire, name):
    client.force_login(people[name])
    assert client.get(url("national", 2570)).status_code == 403
    assert client.get(url("export", 2570)).status_code == 403


def test_dla_admin_reopens_from_the_status_page(client, people, questionnaire, submission):
    complete(submission, people["recorder"])
    services.submission_confirm(submission=submission, by=people["confirmer"])
    client.force_login(people["confirmer"])
    assert client.post(office_url("reopen"), {"reason": "x"}).status_code == 403
    client.force_login(people["dla_admin"])
    client.post(office_url("reopen"), {"reason": ""})
    submission.refresh_from_db()
    assert submission.confirmed_at is not None
    client.post(office_url("reopen"), {"reason": "จังหวัดขอแก้ไขข้อมูลด้านที่ 3"})
    submission.refresh_from_db()
    assert submission.confirmed_at is None
    body = client.get(office_url("status")).content.decode()
    assert "จังหวัดขอแก้ไขข้อมูลด้านที่ 3" in body


@pytest.mark.parametrize(
    ("volume", "days", "hours"), [("๑๒", "๑.๕", "๒"), ("1,234", "1.5", "2"), (" 12 ", " 1 ", "\u00a02 ")]
)
def test_an_aspect_takes_numbers_as_thai_offices_type_them(
    client, people, questionnaire, submission, volume, days, hours
):
    client.force_login(people["recorder"])
    page = client.get(office_url("aspect", "DLA-D5001", 1)).content.decode()
    assert 'type="number"' not in page
    assert 'inputmode="numeric"' in page and 'inputmode="decimal"' in page
    data = aspect_post(questionnaire, 1, volume=volume, days=days, hours=hours)
    assert client.post(office_url("aspect", "DLA-D5001", 1), data).status_code == 302
    answers = Answer.objects.filter(submission=submission)
    assert answers.count() == 2
    answer = answers.first()
    assert answer.volume == int(volume.strip().translate(str.maketrans("๑๒๓๔", "1234")).replace(",", ""))
    assert answer.hours == 2


def test_a_european_volume_is_named_as_such_and_kept(client, people, questionnaire, submission):
    client.force_login(people["recorder"])
    data = aspect_post(questionnaire, 1, volume="1.234")
    response = client.post(office_url("aspect", "DLA-D5001", 1), data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "ตัวเลขแบบยุโรป" in body and 'value="1.234"' in body
    assert not Answer.objects.filter(submission=submission).exists()


def test_answers_export_has_typed_cells_a_filter_and_a_named_file(client, people, questionnaire, submission):
    complete(submission, people["recorder"])
    services.submission_confirm(submission=submission, by=people["confirmer"])
    client.force_login(people["dla_admin"])
    response = client.get(url("export", 2570))
    assert 'filename="Workload-answers-FY2570.xlsx"' in response["Content-Disposition"]
    assert "filename*=UTF-8''%E0%B8" in response["Content-Disposition"]  # the Thai name
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:M17"
    row = next(sheet.iter_rows(min_row=2, max_row=2))
    assert row[1].value == "DLA-D5001"
    assert (row[3].data_type, row[3].number_format) == ("n", "#,##0")  # aspect
    assert all(c.data_type == "n" and c.number_format == "#,##0.00" for c in row[7:11])  # volume … hours
    assert row[11].value == "ใช่"
    assert row[12].is_date and row[12].number_format == "[$-107041E]d mmm yyyy hh:mm"
