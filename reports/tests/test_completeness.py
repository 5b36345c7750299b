"""The completeness grids (project, unit, province) and the national completeness page."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from progress import completeness
from progress.tests.data import generate_year, report_in_state
from projects.models import ActivityUnit, Project

FY = 2569  # every month of it has fallen due


def bangkok(*args):
    return dt.datetime(*args, tzinfo=completeness.BANGKOK)


def year(projects=3, prefix="G", seed=2570):
    data = generate_year(seed=seed, fiscal_year=FY, projects=projects, prefix=prefix)
    Project.objects.filter(fiscal_year=FY).update(status=Project.Status.ACTIVE)
    return data


def hand_in(assignment, month, user, when, status="submitted"):
    return report_in_state(assignment, month, status, by=user, submitted_at=when, decided_at=when)


def url(name, *args, fy=None):
    return reverse(f"reports:{name}", args=args) + (f"?fy={fy}" if fy else "")


def p50(data):
    return next(r.assignment for r in data.rows if r.unit_code == "ALRO-P50")


def test_a_projects_grid_shows_each_assigned_unit_month_by_month(client, people):
    data = year()
    assignment = p50(data)
    hand_in(assignment, 1, people["province_user"], bangkok(2025, 11, 5, 23, 59))
    hand_in(assignment, 2, people["province_user"], bangkok(2025, 12, 6, 0, 0))
    client.force_login(people["admin_all"])
    response = client.get(url("completeness_project", assignment.activity.project_id))
    assert response.status_code == 200
    row = next(r for r in response.context["rows"] if r.pk == assignment.pk)
    assert [c.state for c in row.cells[:3]] == ["on_time", "late", "overdue"]
    assert (
        len(response.context["rows"])
        == ActivityUnit.objects.filter(activity__project=assignment.activity.project).count()
    )
    body = response.content.decode()
    assert 'class="rs rs-on-time"' in body and 'class="rs rs-late"' in body
    assert "report-legend" in body  # the legend of every symbol


def test_anonymous_is_sent_to_sign_in(client, db):
    response = client.get(url("completeness"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_province_user_sees_its_province_and_units_and_not_another(client, people):
    data = year()
    client.force_login(people["province_user"])  # ALRO-P50, Chiang Mai
    assert client.get(url("completeness_province", "50", fy=FY)).status_code == 200
    own = next(r.assignment.unit for r in data.rows if r.unit_code == "ALRO-P50")
    other = next(r.assignment.unit for r in data.rows if r.unit_code == "ALRO-P57")
    assert client.get(url("completeness_unit", own.pk, fy=FY)).status_code == 200
    assert client.get(url("completeness_province", "57", fy=FY)).status_code == 404
    assert client.get(url("completeness_unit", other.pk, fy=FY)).status_code == 404
    rows = client.get(url("completeness_province", "50", fy=FY)).context["rows"]
    assert rows and {r.unit.province.code for r in rows} == {"50"}


def test_a_project_the_user_cannot_see_is_404(client, people, make_project):
    project = make_project(code="R-57", fy=FY, units=("ALRO-P57",))
    client.force_login(people["province_user"])
    assert client.get(url("completeness_project", project.pk)).status_code == 404
    client.force_login(people["admin_all"])
    assert client.get(url("completeness_project", project.pk)).status_code == 200


def test_the_national_page_is_for_those_who_read_every_units_figures(client, people):
    year()
    client.force_login(people["province_user"])
    assert client.get(url("completeness")).status_code == 403
    client.force_login(people["report_viewer"])
    assert client.get(url("completeness", fy=FY)).status_code == 200


@pytest.mark.parametrize(
    "name,args", [("completeness", ()), ("completeness_province", ("50",)), ("completeness_unit", (1,))]
)
def test_a_dla_user_may_not_open_the_alro_completeness_pages(client, people, name, args):
    client.force_login(people["recorder"])
    assert client.get(url(name, *args)).status_code == 403


def test_an_unknown_fiscal_year_is_404(client, people):
    client.force_login(people["admin_all"])
    assert client.get(reverse("reports:completeness") + "?fy=99999").status_code == 404


def test_the_national_page_counts_on_time_late_and_missing_per_province(client, people):
    data = year()
    p50_rows = [r.assignment for r in data.rows if r.unit_code == "ALRO-P50"]
    user = people["province_user"]
    hand_in(p50_rows[0], 1, user, bangkok(2025, 11, 5, 12))  # on time
    hand_in(p50_rows[1], 1, user, bangkok(2025, 11, 6, 0, 0), status="accepted")  # late, then accepted
    if len(p50_rows) > 2:
        hand_in(p50_rows[2], 1, user, bangkok(2025, 11, 4), status="sent_back")  # back with the unit
    client.force_login(people["admin_all"])
    response = client.get(url("completeness", fy=FY))
    assert response.status_code == 200
    chiang_mai = next(g for g in response.context["provinces"] if g.province_code == "50")
    october = chiang_mai.months[0]
    assert october.assignments == len(p50_rows)
    assert (october.on_time, october.late, october.missing) == (1, 1, len(p50_rows) - 2)
    assert october.on_time_percent == completeness.thaicalendar.percent(1, len(p50_rows))
    total = response.context["total"].months[0]
    assert total.assignments == len(data.rows)
    assert total.on_time + total.late + total.missing == len(data.rows)
    bureaus = {g.name for g in response.context["bureaus"]}
    assert bureaus  # the central units have their own rows


def test_the_national_page_shows_no_counts_for_months_not_due(db):
    year()
    _months, _provinces, _bureaus, total = completeness.national(
        ActivityUnit.objects.expected_to_report().filter(activity__project__fiscal_year=FY),
        FY,
        now=bangkok(2025, 12, 1),
    )
    assert [t.due for t in total.months[:3]] == [True, False, False]
    assert total.months[1].missing == 0 and total.months[1].missing_percent is None


def _queries(client, address):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(address)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "viewer,name,args",
    [
        ("admin_all", "completeness", ()),
        ("province_user", "completeness_province", ("50",)),
        ("province_user", "completeness_unit", ("P50",)),
        ("admin_all", "completeness_project", ("project",)),
    ],
)
def test_query_counts_do_not_grow_with_units_or_months(client, people, viewer, name, args):
    data = year(projects=2)
    project = p50(data).activity.project
    unit = p50(data).unit

    def address():
        real = [project.pk if a == "project" else unit.pk if a == "P50" else a for a in args]
        return url(name, *real, fy=FY)

    client.force_login(people[viewer])
    small = _queries(client, address())
    more = year(projects=8, prefix="H", seed=7)
    for row in more.rows[:20]:
        hand_in(row.assignment, 1, people["super"], bangkok(2025, 11, 3))
    # The project's grid: more units on the same project.
    activity = project.activities.first()
    taken = set(activity.units.values_list("unit_id", flat=True))
    newcomer = next(r.assignment.unit for r in more.rows if r.assignment.unit_id not in taken)
    ActivityUnit.objects.create(activity=activity, unit=newcomer)
    assert _queries(client, address()) == small
    assert small == PINNED[name]


# session, user, roles (+ grants), the calendar and the rows; the unit, province or project, and
# whether any of it is in the user's scope.
PINNED = {"completeness": 5, "completeness_province": 7, "completeness_unit": 7, "completeness_project": 6}
