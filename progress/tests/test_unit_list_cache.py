"""The progress list's table is kept in the page cache under the version of all it shows: served from
there while nothing changed, never after a change, however the change was made (a script or a bulk
update that skips Django included)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from guardian.shortcuts import assign_perm

from accounts import access
from accounts.models import OrgUnit
from accounts.roles import Role
from progress import services
from progress.models import AssignmentFigures, MonthReport
from progress.tests.data import flush_figures
from projects.models import Activity, ActivityUnit, Project

pytestmark = pytest.mark.django_db

WARM = 4  # session, user with their unit, roles, the version of the data


def unit_list(client, **params):
    """The list's table (what follows the filter form) and the number of queries the page ran."""
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("progress:index"), {"fy": 2570, "month": 1, **params})
    assert response.status_code == 200
    table = response.content.decode().split('role="search"', 1)[1].split("</form>", 1)[1]
    return table.split("</section>", 1)[0], len(ctx.captured_queries)


def test_the_table_is_served_from_the_cache_while_nothing_changes(client, people, assignment):
    flush_figures()
    client.force_login(people["province_user"])
    first, cold = unit_list(client)
    second, warm = unit_list(client)
    assert warm == WARM < cold
    assert second == first
    assert "B-1" in second and "เชียงราย" not in second  # Chiang Mai's assignment only


def _spent(assignment, people):
    services.transfer_add(
        by=people["finance_budget"], activity_unit=assignment, kind="transfer", date=dt.date(2026, 10, 5),
        amount=Decimal(8000), document_no="กษ 1",
    )  # fmt: skip
    line = services.LineFigures(
        category="operating", carried_over=False, committed=Decimal(0), disbursed=Decimal(2345)
    )
    services.disbursement_save(by=people["finance_budget"], activity_unit=assignment, month=1, lines=[line])
    flush_figures()


def _sent_back(assignment, people):
    services.submit_report(people["province_user"], assignment, 1)
    services.send_back_report(people["admin_all"], assignment, 1, "แนบเลขที่หนังสือ")


def _report_deleted(assignment, people):
    MonthReport.objects.filter(activity_unit=assignment).delete()


def _nothing(assignment, people):
    pass


# (what is there before the table is cached; the change, made as a user, a script or the admin
# would; what the table shows after it)
CHANGES = {
    "money spent": (_nothing, _spent, "2,345.00"),
    "a report sent back": (_nothing, _sent_back, "แนบเลขที่หนังสือ"),
    "a report deleted": (_sent_back, _report_deleted, "ยังไม่ส่ง</span></a>"),
    "the project renamed": (
        _nothing,
        lambda a, p: Project.objects.filter(pk=a.activity.project_id).update(name="โครงการจัดที่ดินทำกิน"),
        "โครงการจัดที่ดินทำกิน",
    ),
    "the activity renamed": (
        _nothing,
        lambda a, p: Activity.objects.filter(pk=a.activity_id).update(name="รังวัดแปลงที่ดิน"),
        "รังวัดแปลงที่ดิน",
    ),
    "the output unit changed": (
        _nothing,
        lambda a, p: ActivityUnit.objects.filter(pk=a.pk).update(output_unit="แปลง"),
        " แปลง</td>",
    ),
    "the unit renamed": (
        _nothing,
        lambda a, p: OrgUnit.objects.filter(pk=a.unit_id).update(short_name="ส.ป.ก.เชียงใหม่ (ใหม่)"),
        "ส.ป.ก.เชียงใหม่ (ใหม่)",
    ),
}


@pytest.mark.parametrize("change", CHANGES)
def test_any_change_shows_on_the_next_request(client, people, assignment, change):
    before, make_change, shown = CHANGES[change]
    before(assignment, people)
    flush_figures()
    client.force_login(people["province_user"])
    unit_list(client)
    cached, warm = unit_list(client)
    assert warm == WARM and shown not in cached
    make_change(assignment, people)
    after, count = unit_list(client)
    assert count > WARM
    assert shown in after


def test_users_of_one_unit_share_the_table_another_unit_has_its_own(client, people, make_user, assignment):
    flush_figures()
    client.force_login(people["province_user"])
    mine, _cold = unit_list(client)
    client.force_login(make_user("province_user2", roles=[Role.PROVINCE_USER], unit="ALRO-P50"))
    shared, warm = unit_list(client)
    assert (shared, warm) == (mine, WARM)
    client.force_login(make_user("chiangrai_user", roles=[Role.PROVINCE_USER], unit="ALRO-P57"))
    theirs, count = unit_list(client)
    assert count > WARM
    assert "เชียงราย" in theirs and theirs != mine


def test_each_month_page_and_search_has_its_own_table(client, people, assignment):
    flush_figures()
    client.force_login(people["province_user"])
    unit_list(client)
    for params in ({"month": 2}, {"q": "ไม่มีโครงการนี้"}, {"page": "2"}):
        assert unit_list(client, **params)[1] > WARM, params
    assert "B-1" not in unit_list(client, q="ไม่มีโครงการนี้")[0]


def test_someone_with_per_object_grants_shares_the_table_of_their_peers(
    client, people, make_user, make_project, assignment
):
    """The figures' rule gives no rows by per-object grants (another province's project granted to a
    person shows none of its figures), so that person's table is their peers'."""
    other = make_project(code="B-2", units=("ALRO-P57",))
    flush_figures()
    client.force_login(people["province_user"])
    shared, _cold = unit_list(client)
    user = make_user("granted", roles=[Role.PROVINCE_USER], unit="ALRO-P50")
    assign_perm("projects.view_project", user, other)
    client.force_login(user)
    table, count = unit_list(client)
    assert (table, count) == (shared, WARM)
    assert "B-2" not in table
    user = type(user).objects.get(pk=user.pk)  # the user's facts are read once per request
    assert not access.restrict(AssignmentFigures.objects.filter(project=other), user, access.VIEW).exists()


def test_the_page_links_keep_the_month_and_the_search(client, people, make_project):
    for index in range(4):
        make_project(code=f"L-{index}", units=("ALRO-P50",), activities=8)
    flush_figures()
    client.force_login(people["province_user"])
    first, _count = unit_list(client, month=3, q="L-")
    assert 'href="?fy=2570&amp;month=3&amp;q=L-&amp;page=2"' in first
    second, _count = unit_list(client, month=3, q="L-", page="2")
    assert 'href="?fy=2570&amp;month=3&amp;q=L-&amp;page=1"' in second
    last = 'L-3 โครงการ L-3</a><br><small class="help">8. '  # 32 rows: 30 on the first page, 2 on the second
    assert last in second and last not in first
