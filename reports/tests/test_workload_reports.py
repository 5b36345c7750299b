"""The DLA reports: completeness and confirmation, hours and FTE, scope by role, export, queries."""

import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from accounts.models import OrgUnit
from accounts.roles import Role
from reports.tests.conftest import assert_typed_sheets
from workload import services
from workload.models import Answer, ExtraItem, Question, Submission
from workload.tests.conftest import CONTACT, questionnaire  # noqa: F401 - the shared fixture

pytestmark = pytest.mark.django_db
# fill() answers every question with volume 3, 1 day and 2 hours: 3 × (1 × 6 h + 2 h) = 24 h.
HOURS_PER_ANSWER = Decimal(24)


def table(response, key):
    return next(t for t in response.context["tables"] if t.key == key)


def fill(submission, make_user):
    """Every question answered by the office's own recorder: volume 3, 1 day, 2 hours."""
    office = submission.office
    user = make_user(f"rec-{office.code}", roles=[Role.DISTRICT_RECORDER], unit=office)
    services.contact_save(submission=submission, by=user, fields=dict(CONTACT), districts=[office.district])
    for aspect in submission.questionnaire.aspects.all():
        rows = {q.pk: (3, 1, 2) for q in aspect.questions.all()}
        services.aspect_save(submission=submission, aspect=aspect, by=user, rows=rows)
    submission.refresh_from_db()


@pytest.fixture
def recorded(questionnaire, people, make_user):  # noqa: F811
    """Chiang Mai: two offices complete (one confirmed), one partly recorded; Chiang Rai: one complete."""
    questions = Question.objects.filter(aspect__questionnaire=questionnaire).count()
    subs = {
        s.office.code: s
        for s in Submission.objects.filter(questionnaire=questionnaire).select_related("office")
    }
    fill(subs["DLA-D5001"], make_user)
    fill(subs["DLA-D5002"], make_user)
    services.submission_confirm(submission=subs["DLA-D5001"], by=people["confirmer"])
    first = Question.objects.filter(aspect__questionnaire=questionnaire).first()
    Answer.objects.create(
        submission=subs["DLA-D5003"], question=first, volume=10, days=Decimal("0.5"), hours=1
    )
    ExtraItem.objects.create(
        submission=subs["DLA-D5003"], description="งานเฉพาะ", unit="ครั้ง", volume=2, days=0, hours=3
    )
    fill(subs["DLA-D5701"], make_user)
    return {"questions": questions, "submissions": subs}


def test_national_counts_hours_and_fte_by_province(client, people, recorded, questionnaire):  # noqa: F811
    client.force_login(people["dla_admin"])
    response = client.get(reverse("reports:workload"), {"fy": questionnaire.fiscal_year})
    assert response.status_code == 200
    rows = {row["office__province__code"]: row for row in table(response, "provinces").rows}
    offices = OrgUnit.objects.filter(agency="dla", kind="district", province__code="50").count()
    chiang_mai = rows["50"]
    counts = tuple(chiang_mai[name] for name in ("offices", "recorded", "complete", "confirmed"))
    assert counts == (offices, 3, 2, 1)
    # 2 × 16 answers of 24 h, plus 10 × (0.5 × 6 + 1) = 40 h and an extra item of 2 × 3 = 6 h
    expected = 2 * recorded["questions"] * HOURS_PER_ANSWER + Decimal(40) + Decimal(6)
    assert chiang_mai["hours"] == expected
    assert rows["57"]["hours"] == recorded["questions"] * HOURS_PER_ANSWER
    totals = response.context["totals"]
    assert totals["offices"] == Submission.objects.filter(questionnaire=questionnaire).count()
    assert (totals["recorded"], totals["complete"], totals["confirmed"]) == (4, 3, 1)
    assert totals["hours"] == expected + recorded["questions"] * HOURS_PER_ANSWER
    aspects = table(response, "aspects").rows
    assert sum(a["answers"] for a in aspects) == 3 * recorded["questions"] + 1
    body = response.content.decode()
    assert "สถอ. รายจังหวัด" in body and "<svg" in body
    fte = [
        line.cells[-2].text for line in table(response, "provinces").body if line.cells[0].text == "เชียงใหม่"
    ]
    assert fte == [f"{(expected / questionnaire.yearly_hours):,.2f}"]


def test_a_province_lists_its_district_offices_with_status(client, people, recorded, questionnaire):  # noqa: F811
    client.force_login(people["confirmer"])
    response = client.get(reverse("reports:workload"), {"fy": questionnaire.fiscal_year, "province": "50"})
    offices = {row["office__code"]: row for row in table(response, "offices").rows}
    with translation.override("th"):
        statuses = [str(_(s)) for s in ("Confirmed", "Complete", "Partly recorded", "Nothing recorded")]
    assert [offices[c]["status"] for c in ("DLA-D5001", "DLA-D5002", "DLA-D5003", "DLA-D5004")] == statuses
    assert offices["DLA-D5003"]["answered"] == 1
    assert offices["DLA-D5002"]["hours"] == recorded["questions"] * HOURS_PER_ANSWER
    assert "DLA-D5701" not in offices


def test_a_province_confirmer_sees_only_its_province(client, people, recorded, questionnaire):  # noqa: F811
    client.force_login(people["confirmer_b"])
    response = client.get(reverse("reports:workload"), {"fy": questionnaire.fiscal_year})
    assert {row["office__province__code"] for row in table(response, "provinces").rows} == {"57"}
    assert response.context["totals"]["recorded"] == 1
    response = client.get(reverse("reports:workload"), {"fy": questionnaire.fiscal_year, "province": "50"})
    assert response.context["form"].errors["province"]
    assert response.context["province"] is None
    assert "เชียงใหม่" not in response.content.decode().split("<main")[1].split('id="id_province"')[0]


def test_a_district_recorder_sees_only_its_office(client, people, recorded, questionnaire):  # noqa: F811
    client.force_login(people["recorder"])
    response = client.get(reverse("reports:workload"), {"fy": questionnaire.fiscal_year})
    assert response.context["totals"]["offices"] == 1
    assert response.context["totals"]["hours"] == recorded["questions"] * HOURS_PER_ANSWER


@pytest.mark.parametrize("name", ["report_viewer", "super"])
def test_report_viewers_see_the_whole_country(client, people, recorded, questionnaire, name):  # noqa: F811
    client.force_login(people[name])
    response = client.get(reverse("reports:workload"), {"fy": questionnaire.fiscal_year})
    assert response.context["totals"]["recorded"] == 4


@pytest.mark.parametrize("name", ["province_user", "finance_budget", "admin_all"])
def test_alro_roles_do_not_read_dla_reports(client, people, questionnaire, name):  # noqa: F811
    client.force_login(people[name])
    assert client.get(reverse("reports:workload")).status_code == 403
    assert client.get(reverse("reports:workload_xlsx")).status_code == 403


def test_export_matches_the_page(client, people, recorded, questionnaire):  # noqa: F811
    client.force_login(people["dla_admin"])
    query = {"fy": questionnaire.fiscal_year}
    page = client.get(reverse("reports:workload"), query)
    response = client.get(reverse("reports:workload_xlsx"), query)
    assert f'filename="Workload-report-FY{questionnaire.fiscal_year}.xlsx"' in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert_typed_sheets(workbook, page.context["tables"])
    provinces = table(page, "provinces")
    sheet = list(workbook[provinces.sheet].iter_rows(values_only=True))
    wanted = list(provinces.sheet_rows())
    assert len(sheet) == len(wanted) + 1
    by_name = {row[0]: row for row in sheet[1:]}
    chiang_mai = next(r for r in wanted if r[0] == "เชียงใหม่")
    assert Decimal(str(by_name["เชียงใหม่"][7])) == chiang_mai[7]  # hours per year


def test_no_questionnaire_yet_says_so(client, people):
    client.force_login(people["dla_admin"])
    response = client.get(reverse("reports:workload"))
    assert response.status_code == 200
    assert "ยังไม่มีแบบบันทึกข้อมูล" in response.content.decode()
    assert client.get(reverse("reports:workload_xlsx")).status_code == 404


def test_workload_report_query_count_is_pinned(client, people, questionnaire, make_user):  # noqa: F811
    from django.core.cache import caches

    client.force_login(people["dla_admin"])
    url = reverse("reports:workload")

    def count():
        with CaptureQueriesContext(connection) as queries:
            client.get(url, {"fy": questionnaire.fiscal_year})
        return len(queries)

    empty = (count(), count())
    for submission in Submission.objects.filter(questionnaire=questionnaire, office__province__code="50")[:5]:
        fill(submission, make_user)
    caches["pages"].clear()
    filled = (count(), count())
    # Computed: session, user, roles; year; the version; questions, totals, provinces, aspects, sums
    # by aspect; choice lists. From the cache: session, user, roles, year, version.
    assert empty == filled == (13, 5)


def test_the_cached_report_follows_every_change(client, people, questionnaire, make_user):  # noqa: F811
    client.force_login(people["dla_admin"])
    url = reverse("reports:workload")
    first = client.get(url, {"fy": questionnaire.fiscal_year})
    assert first.context["totals"]["recorded"] == 0
    fill(Submission.objects.get(questionnaire=questionnaire, office__code="DLA-D5001"), make_user)
    second = client.get(url, {"fy": questionnaire.fiscal_year})
    assert second.context["totals"]["recorded"] == 1
    third = client.get(url, {"fy": questionnaire.fiscal_year})
    assert third.context["body"] == second.context["body"] and "totals" not in third.context
