"""The DLA side of completeness: districts covered by another office, aspects saved incomplete, and
what is missing before a province can confirm."""

import io

import pgtrigger
import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import District, OrgUnit, unit_name
from workload import selectors, services
from workload.models import (
    Answer,
    Aspect,
    CoveredDistrict,
    Question,
    Questionnaire,
    Submission,
    SubmissionFigures,
)
from workload.selectors import complete_condition, question_totals, submission_progress
from workload.tests.conftest import CONTACT, QUESTIONS_PER_ASPECT, aspect_post, complete

pytestmark = pytest.mark.django_db

OWN, NEIGHBOUR = "DLA-D5001", "DLA-D5002"


def url(name, *args):
    return reverse(f"workload:{name}", args=args)


def office_url(name, code=OWN, *extra):
    return url(name, 2570, code, *extra)


def province_url():
    return url("province", 2570, "50")


def submission_of(questionnaire, code):
    return Submission.objects.select_related("office__district").get(
        questionnaire=questionnaire, office__code=code
    )


def districts(*codes):
    return [District.objects.get(code=code) for code in codes]


def contact_post(*codes):
    return {**CONTACT, "covered_districts": [str(d.pk) for d in districts(*codes)]}


@pytest.fixture
def neighbour(questionnaire):
    return submission_of(questionnaire, NEIGHBOUR)


@pytest.fixture
def covering(client, people, questionnaire, submission):
    """สถอ. of 5001 ticks 5002 on its contact page: 5002's office is then covered."""
    client.force_login(people["recorder"])
    response = client.post(office_url("contact"), contact_post("5001", "5002"))
    assert response.status_code == 302
    return submission


# --- covered districts ----------------------------------------------------------------------------


def test_ticking_a_district_shows_its_office_covered_on_the_province_review(
    client, people, covering, neighbour
):
    client.force_login(people["confirmer"])
    body = client.get(province_url()).content.decode()
    row = body[body.index(neighbour.office.short_name) :].split("</tr>")[0]
    assert f"บันทึกรวมกับ {covering.office.short_name}" in row
    assert "st-empty" not in row  # not "nothing recorded" eight times
    assert "st-covered" in row
    assert f"รอการยืนยันพร้อม {covering.office.short_name}" in row
    assert "บันทึกรวมกับ สถอ. อื่น" in body  # the legend names the symbol


def test_a_covered_office_records_nothing_and_says_why(client, people, questionnaire, covering, neighbour):
    client.force_login(people["recorder_same_province"])
    body = client.get(office_url("aspect", NEIGHBOUR, 1)).content.decode()
    assert f"ปริมาณงานของอำเภอนี้บันทึกรวมกับ {covering.office.short_name}" in body
    assert "data-draft" not in body  # read-only before anyone types
    response = client.post(office_url("aspect", NEIGHBOUR, 1), aspect_post(questionnaire, 1))
    assert response.status_code == 403
    assert client.post(office_url("contact", NEIGHBOUR), contact_post("5002")).status_code == 403
    assert not Answer.objects.filter(submission=neighbour).exists()
    assert not CoveredDistrict.objects.filter(submission=neighbour).exists()


def test_a_covered_office_cannot_be_confirmed_on_its_own(client, people, covering, neighbour):
    client.force_login(people["confirmer"])
    response = client.post(office_url("confirm", NEIGHBOUR), follow=True)
    assert f"การยืนยัน {covering.office.short_name} ถือเป็นการยืนยันอำเภอนี้ด้วย" in response.content.decode()
    neighbour.refresh_from_db()
    assert neighbour.confirmed_at is None


def test_covered_district_through_the_whole_flow_counts_once(
    client, people, questionnaire, covering, neighbour
):
    complete(covering, people["recorder"])  # its own district only, as the helper does
    services.contact_save(
        submission=covering, by=people["recorder"], fields=dict(CONTACT), districts=districts("5001", "5002")
    )
    client.force_login(people["confirmer"])
    page = client.get(province_url())
    assert page.context["confirmable"] == 1  # the covering office only
    body = page.content.decode()
    version = body.split(f'name="seen_{covering.pk}" value="')[1].split('"')[0]
    client.post(office_url("confirm"), {"version": version})
    covering.refresh_from_db()
    assert covering.confirmed_at is not None
    body = client.get(province_url()).content.decode()
    row = body[body.index(neighbour.office.short_name) :].split("</tr>")[0]
    assert f"ยืนยันพร้อม {covering.office.short_name}" in row and "confirmed-badge" in row

    # National overview: Chiang Mai's offices, one covered, one recorded, complete and confirmed.
    client.force_login(people["dla_admin"])
    chiang_mai = next(
        r
        for r in selectors.national_overview(people["dla_admin"], questionnaire)
        if r["province"].code == "50"
    )
    counts = [chiang_mai[key] for key in ("covered", "recorded", "complete", "confirmed")]
    assert counts == [1, 1, 1, 1]
    assert chiang_mai["offices"] == Submission.objects.filter(office__province__code="50").count()
    body = client.get(url("national", 2570)).content.decode()
    assert "บันทึกรวมกับ สถอ. อื่น" in body

    # The DLA report: the covered office is neither missing nor recorded; % confirmed leaves it out.
    report = client.get(reverse("reports:workload"), {"fy": 2570})
    provinces = next(t for t in report.context["tables"] if t.key == "provinces")
    row = next(r for r in provinces.rows if r["label"] == "เชียงใหม่")
    assert (row["covered"], row["recorded"], row["confirmed"], row["state_empty"]) == (
        1, 1, 1, row["offices"] - 2,
    )  # fmt: skip
    offices = client.get(reverse("reports:workload"), {"fy": 2570, "province": "50"})
    listed = next(t for t in offices.context["tables"] if t.key == "offices")
    statuses = {r["office__code"]: r["status"] for r in listed.rows}
    assert statuses[NEIGHBOUR] == f"บันทึกรวมกับ {covering.office.short_name}"
    assert statuses[OWN] == "ยืนยัน"
    hours = SubmissionFigures.objects.filter(questionnaire=questionnaire).values_list(
        "total_hours", flat=True
    )
    assert row["hours"] == sum(hours)  # the covering office's hours, once

    # The export of every answer: the district's answers appear once, under the covering office.
    response = client.get(url("export", 2570))
    rows = list(
        load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(values_only=True)
    )
    assert [r[1] for r in rows[1:]] == [OWN] * (8 * QUESTIONS_PER_ASPECT)


def test_an_office_that_started_its_own_record_is_not_covered_silently(
    people, questionnaire, submission, neighbour
):
    aspect = Aspect.objects.get(questionnaire=questionnaire, number=1)
    question = aspect.questions.first()
    services.aspect_save(
        submission=neighbour,
        aspect=aspect,
        by=people["recorder_same_province"],
        rows={question.pk: (1, 1, 1)},
    )
    with pytest.raises(ValidationError) as error:
        services.contact_save(
            submission=submission,
            by=people["recorder"],
            fields=dict(CONTACT),
            districts=districts("5001", "5002"),
        )
    assert f"{neighbour.office.short_name} เริ่มบันทึกข้อมูลของตนเองในปีงบประมาณนี้แล้ว" in error.value.messages[0]
    assert not CoveredDistrict.objects.filter(submission=submission).exists()


def test_a_district_listed_by_another_office_is_refused_in_words(
    people, questionnaire, submission, neighbour
):
    services.contact_save(
        submission=neighbour,
        by=people["recorder_same_province"],
        fields=dict(CONTACT),
        districts=districts("5002"),
    )
    with pytest.raises(ValidationError) as error:
        services.contact_save(
            submission=submission,
            by=people["recorder"],
            fields=dict(CONTACT),
            districts=districts("5001", "5002"),
        )
    assert f"บันทึกโดย {neighbour.office.short_name} แล้ว" in error.value.messages[0]


def test_other_districts_need_the_office_s_own_district_too(client, people, questionnaire, submission):
    client.force_login(people["recorder"])
    response = client.post(office_url("contact"), contact_post("5002"))
    assert response.status_code == 200
    assert "กรุณาเลือกอำเภอของสำนักงานท่านด้วย" in response.content.decode()
    assert not CoveredDistrict.objects.filter(submission=submission).exists()


def test_the_contact_page_names_the_office_that_records_a_district_already(client, people, covering):
    client.force_login(people["recorder_same_province"])
    body = client.get(office_url("contact", NEIGHBOUR)).content.decode()
    assert f"จอมทอง (บันทึกโดย {covering.office.short_name})" in body
    assert "เมืองเชียงใหม่ (สถอ. บันทึกเองแล้ว)" in body


def test_a_covering_office_without_an_abbreviation_still_covers_and_is_named(
    client, people, questionnaire, covering, neighbour
):
    """An office's abbreviation may be blank: it is then named by its Thai name, and its blank
    abbreviation never makes the office it covers count as recording for itself."""
    OrgUnit.objects.filter(code=OWN).update(short_name="")
    name = OrgUnit.objects.get(code=OWN).name_th
    client.force_login(people["recorder_same_province"])
    body = client.get(office_url("aspect", NEIGHBOUR, 1)).content.decode()
    assert f"ปริมาณงานของอำเภอนี้บันทึกรวมกับ {name}" in body
    assert client.post(office_url("aspect", NEIGHBOUR, 1), aspect_post(questionnaire, 1)).status_code == 403
    assert not Answer.objects.filter(submission=neighbour).exists()
    assert f"จอมทอง (บันทึกโดย {name})" in client.get(office_url("contact", NEIGHBOUR)).content.decode()
    client.force_login(people["confirmer"])
    body = client.get(province_url()).content.decode()
    row = body[body.index(f'data-row="{NEIGHBOUR}"') :].split("</tr>")[0]
    assert f"บันทึกรวมกับ {name}" in row and f"รอการยืนยันพร้อม {name}" in row
    response = client.post(office_url("confirm", NEIGHBOUR), follow=True)
    assert f"การยืนยัน {name} ถือเป็นการยืนยันอำเภอนี้ด้วย" in response.content.decode()
    client.force_login(people["dla_admin"])
    offices = client.get(reverse("reports:workload"), {"fy": 2570, "province": "50"})
    listed = next(t for t in offices.context["tables"] if t.key == "offices")
    assert {r["office__code"]: r["status"] for r in listed.rows}[NEIGHBOUR] == f"บันทึกรวมกับ {name}"


def test_a_unit_s_name_in_sql_is_its_name_in_python():
    """unit_name() is OrgUnit.__str__ in SQL: the abbreviation, or the Thai name when it is blank."""
    OrgUnit.objects.filter(code__in=[OWN, "ALRO-P50"]).update(short_name="")
    units = OrgUnit.objects.annotate(shown=unit_name()).order_by("pk")
    assert [unit.shown for unit in units] == [str(unit) for unit in units]
    assert {unit.code: unit.shown for unit in units if unit.code in (OWN, NEIGHBOUR)} == {
        OWN: OrgUnit.objects.get(code=OWN).name_th,
        NEIGHBOUR: OrgUnit.objects.get(code=NEIGHBOUR).short_name,
    }


def test_a_covered_office_gets_no_reminder(client, people, covering, neighbour, make_user):
    """The covering office, incomplete, is reminded; the office it records for has nothing to do."""
    from accounts.models import Notification
    from accounts.roles import Role

    make_user("rec5002", roles=[Role.DISTRICT_RECORDER], unit=neighbour.office, email="rec5002@example.go.th")
    client.force_login(people["confirmer"])
    client.post(url("remind", 2570, "50"))
    reminded = set(
        Notification.objects.filter(kind=Notification.Kind.WORKLOAD_DUE).values_list(
            "recipient__username", flat=True
        )
    )
    assert people["recorder"].username in reminded and "rec5002" not in reminded


def test_unticking_releases_the_covered_office(client, people, questionnaire, covering, neighbour):
    client.post(office_url("contact"), contact_post("5001"))
    client.force_login(people["recorder_same_province"])
    assert client.post(office_url("contact", NEIGHBOUR), contact_post("5002")).status_code == 302
    assert list(
        CoveredDistrict.objects.filter(submission=neighbour).values_list("district__code", flat=True)
    ) == ["5002"]


# --- the constraints, in SQL -------------------------------------------------------------------------------


def insert_covered(submission_id, district_id, questionnaire_id=None):
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO workload_covereddistrict (submission_id, district_id, questionnaire_id)"
            " VALUES (%s, %s, %s)",
            [submission_id, district_id, questionnaire_id],
        )


def test_two_offices_cannot_cover_one_district_in_a_year_even_in_sql(questionnaire, submission, neighbour):
    insert_covered(neighbour.pk, neighbour.office.district_id)
    with pytest.raises(IntegrityError, match="covered_district_once_a_year"), transaction.atomic():
        insert_covered(submission.pk, neighbour.office.district_id)


def test_the_same_district_may_be_covered_again_next_year(questionnaire, submission):
    later = Questionnaire.objects.create(fiscal_year=2571, opens_on="2570-10-01", closes_on="2570-12-31")
    next_year = Submission.objects.create(questionnaire=later, office=submission.office)
    insert_covered(submission.pk, submission.office.district_id)
    insert_covered(next_year.pk, submission.office.district_id)
    assert CoveredDistrict.objects.filter(district=submission.office.district).count() == 2


def test_the_year_of_a_covered_row_is_its_submission_s_whatever_is_written(questionnaire, submission):
    other = Questionnaire.objects.create(fiscal_year=2571, opens_on="2570-10-01", closes_on="2570-12-31")
    insert_covered(submission.pk, submission.office.district_id, other.pk)
    assert CoveredDistrict.objects.get(submission=submission).questionnaire_id == questionnaire.pk


def test_an_office_cannot_cover_others_without_its_own_district_even_in_sql(
    questionnaire, submission, neighbour
):
    """Without its own district an office would be covered and covering at once (or cover itself
    through the office that covers it)."""
    with pytest.raises(IntegrityError, match="not its own district"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        insert_covered(submission.pk, neighbour.office.district_id)
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        insert_covered(submission.pk, submission.office.district_id)
        insert_covered(submission.pk, neighbour.office.district_id)  # with its own: fine
    # The covered office (its district taken) cannot list any district of its own now.
    district_5003 = District.objects.get(code="5003")
    with pytest.raises(IntegrityError), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        insert_covered(neighbour.pk, district_5003.pk)


# --- saving an aspect half-finished ------------------------------------------------------------------------


def test_a_half_finished_aspect_is_saved_as_incomplete(client, people, questionnaire, submission):
    client.force_login(people["recorder"])
    first, second = Question.objects.filter(aspect__questionnaire=questionnaire, aspect__number=1)
    blank = {f"q{second.pk}_volume": "", f"q{second.pk}_days": "", f"q{second.pk}_hours": ""}
    response = client.post(office_url("aspect", OWN, 1), aspect_post(questionnaire, 1, **blank))
    assert response.status_code == 302
    assert list(Answer.objects.filter(submission=submission).values_list("question_id", flat=True)) == [
        first.pk
    ]
    progress = submission_progress([submission])[submission.pk]
    assert progress.statuses[0] == "incomplete"
    body = client.get(office_url("status")).content.decode()
    assert "◐" in body and "1 / 2" in body
    # Emptying an answer on the form removes it.
    emptied = {f"q{first.pk}_volume": "", f"q{first.pk}_days": "", f"q{first.pk}_hours": "", **blank}
    edit_stamp = client.get(office_url("aspect", OWN, 1)).context["form"].initial["edit_stamp"]
    data = {**aspect_post(questionnaire, 1, **emptied), "edit_stamp": edit_stamp}
    assert client.post(office_url("aspect", OWN, 1), data).status_code == 302
    assert not Answer.objects.filter(submission=submission).exists()


def test_an_incomplete_district_cannot_be_confirmed(people, questionnaire, submission):
    complete(submission, people["recorder"])
    aspect = Aspect.objects.get(questionnaire=questionnaire, number=3)
    question = aspect.questions.first()
    services.aspect_save(
        submission=submission, aspect=aspect, by=people["recorder"], rows={question.pk: (1, 0, 1)}
    )
    with pytest.raises(ValidationError) as error:
        services.submission_confirm(submission=submission, by=people["confirmer"])
    assert error.value.messages == ["ด้านที่ 3 ยังไม่ครบ"]


# --- one rule for "complete" ----------------------------------------------------------------------------


def test_complete_in_sql_is_the_rule_confirmation_uses(people, questionnaire, submission, neighbour):
    complete(submission, people["recorder"])
    aspect = Aspect.objects.get(questionnaire=questionnaire, number=2)
    services.aspect_save(
        submission=neighbour,
        aspect=aspect,
        by=people["recorder_same_province"],
        rows={q.pk: (1, 1, 1) for q in aspect.questions.all()},
    )

    def agree():
        rows = list(Submission.objects.filter(questionnaire=questionnaire))
        progress = submission_progress(rows)
        in_python = {pk for pk, p in progress.items() if p.all_complete}
        in_sql = set(
            SubmissionFigures.objects.filter(
                complete_condition(question_totals(questionnaire)), questionnaire=questionnaire
            ).values_list("submission_id", flat=True)
        )
        return in_python, in_sql

    in_python, in_sql = agree()
    assert in_python == in_sql == {submission.pk}
    # An aspect without questions is never complete, in either form.
    Answer.objects.filter(question__aspect__number=8).delete()
    with pgtrigger.ignore("workload.Question:question_freeze"):  # the questionnaire is in use
        Question.objects.filter(aspect__questionnaire=questionnaire, aspect__number=8).delete()
    in_python, in_sql = agree()
    assert in_python == in_sql == set()


# --- what is missing, on the province's review --------------------------------------------------------


def test_the_review_says_what_each_office_still_misses(client, people, questionnaire, submission):
    services.aspect_save(
        submission=submission,
        aspect=Aspect.objects.get(questionnaire=questionnaire, number=1),
        by=people["recorder"],
        rows={
            q.pk: (1, 1, 1)
            for q in Question.objects.filter(aspect__questionnaire=questionnaire, aspect__number=1)
        },
    )
    client.force_login(people["confirmer"])
    body = client.get(province_url()).content.decode()
    row = body[body.index(submission.office.short_name) :].split("</tr>")[0]
    assert "ด้านที่ 2, 3, 4, 5, 6, 7, 8 ยังไม่ครบ" in row
    assert "ยังไม่กรอกที่อยู่สำนักงาน, โทรศัพท์สำนักงาน, ผู้รับผิดชอบ" in row
    assert "ยังไม่ได้เลือกอำเภอที่รับผิดชอบ" in row


def test_the_review_costs_the_same_queries_however_many_offices_are_covered(
    client, people, questionnaire, submission
):
    client.force_login(people["confirmer"])
    with CaptureQueriesContext(connection) as before:
        client.get(province_url())
    services.contact_save(
        submission=submission,
        by=people["recorder"],
        fields=dict(CONTACT),
        districts=districts("5001", "5002", "5003", "5004"),
    )
    with CaptureQueriesContext(connection) as after:
        body = client.get(province_url()).content.decode()
    assert body.count("st-covered") >= 3
    assert len(before.captured_queries) == len(after.captured_queries)


def test_the_review_s_query_count_is_pinned(
    client, people, questionnaire, submission, django_assert_num_queries
):
    services.contact_save(
        submission=submission,
        by=people["recorder"],
        fields=dict(CONTACT),
        districts=districts("5001", "5002"),
    )
    client.force_login(people["confirmer"])
    client.get(province_url())  # the table is made and cached
    with django_assert_num_queries(PROVINCE_REVIEW_QUERIES):
        client.get(province_url())


# The session, the user, their roles, the questionnaire, the province and the version of all the table
# shows: the table itself comes from the page cache while nothing of it changed (test_review_cache.py),
# the same number whatever the province's size and however many of its offices are covered.
PROVINCE_REVIEW_QUERIES = 6


def test_the_covered_office_s_own_status_page_for_the_confirmer(client, people, covering, neighbour):
    client.force_login(people["confirmer"])
    response = client.get(office_url("status", NEIGHBOUR))
    assert response.status_code == 200
    body = response.content.decode()
    assert f"บันทึกรวมกับ {covering.office.short_name}" in body
    assert body.count("st-covered") >= 2 * 8  # every aspect, in the menu and the table


def test_another_province_s_confirmer_gets_404_for_the_covered_office(client, people, covering):
    client.force_login(people["confirmer_b"])
    assert client.get(office_url("status", NEIGHBOUR)).status_code == 404
    assert client.post(office_url("confirm", NEIGHBOUR)).status_code == 404
