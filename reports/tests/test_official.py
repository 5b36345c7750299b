"""The dashboards "as of" a closed month: the official figures stored at closing, exactly, even after
later corrections; revision 2 after a reopen-and-correct, with the difference; and a plain notice
when the month shown is still open."""

import io
from decimal import Decimal

import pytest
from django.core.cache import caches
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from progress import closing
from progress.models import Disbursement
from reports.tests.conftest import flush_figures, generate_year

pytestmark = pytest.mark.usefixtures("clear_pages")


@pytest.fixture
def clear_pages():
    caches["pages"].clear()
    yield
    caches["pages"].clear()


def _correct_october(amount=Decimal(1000)):
    """A unit's October spending lowered after the fact (a correction while the month is open)."""
    row = Disbursement.objects.filter(month=1, disbursed__gte=amount).order_by("pk").first()
    Disbursement.objects.filter(pk=row.pk).update(disbursed=F("disbursed") - amount)
    flush_figures()
    return amount


def _disbursed(client, **params):
    response = client.get(reverse("reports:budget"), params)
    assert response.status_code == 200
    return response, response.context["total"].disbursed


def test_the_dashboard_opens_on_the_latest_closed_month_with_its_official_figures(client, people):
    generate_year(projects=2)
    closing.month_close(by=people["admin_all"], fiscal_year=2570, month=1)
    client.force_login(people["report_viewer"])
    response, official = _disbursed(client, fy=2570)
    filters = response.context["filters"]
    assert (filters.month, filters.asof, filters.official.revision) == (1, "official", 1)
    page = response.content.decode()
    assert "ตัวเลขทางการ ณ สิ้นเดือน ต.ค. 69" in page
    assert "ยังไม่ปิดเดือน" not in page
    # The stored figures are what the dashboard showed at closing, on every table.
    live = client.get(reverse("reports:budget"), {"fy": 2570, "month": 1, "asof": "live"})
    assert official == live.context["total"].disbursed
    for stored, shown in zip(response.context["tables"], live.context["tables"], strict=True):
        assert list(stored.sheet_rows()) == list(shown.sheet_rows()), stored.key


def test_an_open_month_says_so_plainly(client, people):
    generate_year(projects=1)
    client.force_login(people["report_viewer"])
    response = client.get(reverse("reports:budget"), {"fy": 2570, "month": 3})
    assert "ยังไม่ปิดเดือน ตัวเลขอาจเปลี่ยนแปลง" in response.content.decode()
    assert response.context["filters"].official is None
    closing.month_close(by=people["admin_all"], fiscal_year=2570, month=1)
    # A later month that is still open is still said to be open, on both dashboards.
    for name in ("reports:budget", "reports:performance"):
        response = client.get(reverse(name), {"fy": 2570, "month": 2})
        assert "ยังไม่ปิดเดือน ตัวเลขอาจเปลี่ยนแปลง" in response.content.decode(), name


def test_official_figures_stay_after_a_reopen_and_correction_and_revision_2_shows_the_difference(
    client, people
):
    generate_year(projects=2)
    closing.month_close(by=people["admin_all"], fiscal_year=2570, month=1)
    client.force_login(people["report_viewer"])
    _response, official = _disbursed(client, fy=2570, month=1)
    performance = client.get(reverse("reports:performance"), {"fy": 2570, "month": 1}).context["total"]

    closing.month_reopen(by=people["super"], fiscal_year=2570, month=1, reason="เชียงใหม่บันทึกการเบิกจ่ายเกิน")
    lowered = _correct_october()
    # Still the official record of revision 1, with the correction made since.
    response, shown = _disbursed(client, fy=2570, month=1)
    assert shown == official
    assert response.context["filters"].official.revision == 1
    assert (
        client.get(reverse("reports:performance"), {"fy": 2570, "month": 1}).context["total"] == performance
    )
    _response, live = _disbursed(client, fy=2570, month=1, asof="live")
    assert live == official - lowered
    assert "ไม่ใช่ตัวเลขทางการ" in _response.content.decode()

    closing.month_close(by=people["admin_all"], fiscal_year=2570, month=1)
    response, revised = _disbursed(client, fy=2570, month=1)
    assert revised == official - lowered
    assert response.context["filters"].official.revision == 2
    page = response.content.decode()
    assert "เชียงใหม่บันทึกการเบิกจ่ายเกิน" in page  # why, with who and when
    changes = {row["label"]: row for row in response.context["changes"].rows}
    disbursed = changes[next(label for label in changes if "เบิกจ่าย" in str(label) and "บาท" in str(label))]
    assert (disbursed["before"], disbursed["now"], disbursed["difference"]) == (official, revised, -lowered)


def test_the_export_of_the_official_figures_carries_them_and_their_revision(client, people):
    generate_year(projects=1)
    closing.month_close(by=people["admin_all"], fiscal_year=2570, month=1)
    client.force_login(people["report_viewer"])
    _response, official = _disbursed(client, fy=2570, month=1)
    closing.month_reopen(by=people["super"], fiscal_year=2570, month=1, reason="แก้ไข")
    _correct_october()
    response = client.get(reverse("reports:budget_xlsx"), {"fy": 2570, "month": 1, "asof": "official"})
    assert "official-revision1" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    summary = workbook.worksheets[0]
    header = [cell.value for cell in summary[1]]
    first = [cell.value for cell in summary[2]]
    assert Decimal(str(first[header.index("เบิกจ่าย (บาท)")])) == official


def test_the_official_dashboard_costs_no_more_queries_from_the_cache(client, people):
    generate_year(projects=1)
    closing.month_close(by=people["admin_all"], fiscal_year=2570, month=1)
    client.force_login(people["report_viewer"])

    def count(params):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("reports:budget"), params).status_code == 200
        return len(queries)

    live = {"fy": 2570, "month": 1, "asof": "live"}
    official = {"fy": 2570, "month": 1}
    assert (count(live), count(live)) == (16, 6)
    # The official page also reads who closed the month; from the cache it is the same six queries.
    assert (count(official), count(official)) == (17, 6)


@pytest.mark.parametrize("asof", ["official", "<b>", "live", ""])
def test_an_as_of_choice_for_an_open_month_is_ignored_and_the_month_said_to_be_open(client, people, asof):
    generate_year(projects=1)
    closing.month_close(by=people["admin_all"], fiscal_year=2570, month=1)
    client.force_login(people["report_viewer"])
    response = client.get(reverse("reports:budget"), {"fy": 2570, "month": 2, "asof": asof})
    assert response.status_code == 200
    assert response.context["filters"].official is None
    assert not response.context["form"].errors
    assert "ยังไม่ปิดเดือน ตัวเลขอาจเปลี่ยนแปลง" in response.content.decode()


@pytest.mark.parametrize(
    ("asof", "official"), [("<b>", True), ("", True), ("official", True), ("live", False)]
)
def test_a_closed_month_is_official_unless_the_latest_figures_are_chosen(client, people, asof, official):
    generate_year(projects=1)
    closing.month_close(by=people["admin_all"], fiscal_year=2570, month=1)
    client.force_login(people["report_viewer"])
    response = client.get(reverse("reports:performance"), {"fy": 2570, "month": 1, "asof": asof})
    assert (response.context["filters"].official is not None) is official
