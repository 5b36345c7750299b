"""The same DLA figure is the same everywhere: each district office's status and hours on its
district pages, the province review, the national overview, the DLA reports (page and .xlsx) and
the answers export equal each other and a recomputation from the raw Answer / ExtraItem /
CoveredDistrict rows written here, apart from the summary and the code that reads it.

The workload demo data (FY 2569 closed and confirmed, FY 2570 at every stage, one office recorded
with another) and a generated FY 2571 (uneven questions per aspect, aspect 8 without questions so no
office can be complete, extra items, a covered district, confirmations) are made once for the module
inside a transaction rolled back at the end. Every office of the country is checked on the national
overview, the reports and the export; the district pages and province reviews are read for every
office of the provinces holding data and of one province without any (those elsewhere are empty
like it).
"""

import datetime as dt
import io
import random
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from html.parser import HTMLParser

import openpyxl
import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from accounts.models import Province, User
from workload import demo, services, tasks
from workload.models import Answer, Aspect, CoveredDistrict, ExtraItem, Question, Questionnaire, Submission

pytestmark = pytest.mark.django_db

YEARS = (2569, 2570, 2571)
PROVINCES_WITH_DATA = ("12", "50", "57")
EMPTY_PROVINCE = "65"  # Phitsanulok: nothing recorded in any year
CENT = Decimal("0.01")


# --- the data, once for the module ---------------------------------------------------------------


def _generated_year(rng, confirmer):
    """FY 2571: 1–3 questions per aspect and none in aspect 8; answers to a random share of the
    questions, extra items, one office recording a neighbour's district, two confirmations."""
    today = timezone.localdate()
    questionnaire = Questionnaire.objects.create(
        fiscal_year=2571, opens_on=today - dt.timedelta(days=5), closes_on=today + dt.timedelta(days=60)
    )
    for number in range(1, 9):
        aspect = Aspect.objects.create(questionnaire=questionnaire, number=number, title=f"ด้านทดลอง {number}")
        for order in range(1, (0 if number == 8 else rng.randint(1, 3)) + 1):
            Question.objects.create(aspect=aspect, order=order, text=f"งาน {number}.{order}", unit="ครั้ง")
    services.open_submissions(questionnaire)
    questions = list(Question.objects.filter(aspect__questionnaire=questionnaire))
    offices = list(
        Submission.objects.filter(questionnaire=questionnaire, office__province__code__in=("12", "57"))
        .select_related("office__district", "office__province")
        .order_by("office__code")
    )
    for index, submission in enumerate(offices):
        if index % 5 == 4:
            continue  # nothing recorded
        demo._contact(submission, rng)
        Answer.objects.bulk_create(
            Answer(
                submission=submission,
                question=question,
                volume=rng.randint(0, 4000),
                days=Decimal(rng.randint(0, 400)) / 100,
                hours=rng.randint(0, 23),
            )
            for question in questions
            if rng.random() < 0.7
        )
        for n in range(index % 3):
            ExtraItem.objects.create(
                submission=submission,
                description=f"งานเฉพาะ {n}",
                unit="เรื่อง",
                volume=rng.randint(1, 300),
                days=Decimal(rng.randint(0, 300)) / 100,
                hours=rng.randint(0, 8),
            )
    coverer, covered = offices[0], offices[1]
    CoveredDistrict.objects.filter(submission=covered).delete()
    CoveredDistrict.objects.create(submission=coverer, district=covered.office.district)
    when = timezone.make_aware(dt.datetime(2027, 1, 10, 9, 0))
    for submission in offices[2:4]:
        demo._confirm(submission, confirmer, when)


@pytest.fixture(scope="module")
def data(demo_rows, django_db_blocker, tmp_path_factory):
    with (
        django_db_blocker.unblock(),
        transaction.atomic(),
        demo_rows.loaded(tmp_path_factory.mktemp("media")),
    ):
        admin = User.objects.get(username="dla_admin")
        confirmer = User.objects.get(username="province_confirmer")
        _generated_year(random.Random(2571), confirmer)  # noqa: S311 - test data  # nosec B311
        expected = {fy: recompute(Questionnaire.objects.get(fiscal_year=fy)) for fy in YEARS}
        yield {"admin": admin, "expected": expected}
        transaction.set_rollback(True)


@pytest.fixture
def admin_client(data):
    client = Client()
    client.force_login(data["admin"])
    return client


# --- the recomputation from raw rows ------------------------------------------------------------


@dataclass
class Office:
    code: str
    name: str
    province: str
    totals: list[int]
    yearly_hours: Decimal
    answered: list[int] = field(default_factory=lambda: [0] * 8)
    hours: list[Decimal] = field(default_factory=lambda: [Decimal(0)] * 8)
    extra: Decimal = Decimal(0)
    covered_by: str = ""  # the short name of the office recording this one's district
    confirmed: bool = False

    @property
    def covered(self) -> bool:
        return bool(self.covered_by)

    def status(self, number) -> str:
        answered, total = self.answered[number - 1], self.totals[number - 1]
        if answered == 0:
            return "empty"
        return "complete" if answered >= total else "incomplete"

    @property
    def complete(self) -> bool:
        """Every aspect has questions and all of them are answered."""
        return all(t > 0 and a >= t for a, t in zip(self.answered, self.totals, strict=True))

    @property
    def recorded(self) -> bool:
        return sum(self.answered) > 0

    @property
    def total(self) -> Decimal:
        return sum(self.hours, Decimal(0)) + self.extra

    @property
    def fte(self) -> Decimal:
        return (self.total / self.yearly_hours).quantize(CENT, rounding=ROUND_HALF_UP)


def recompute(questionnaire) -> dict[str, Office]:
    per_day = questionnaire.hours_per_day
    totals = [0] * 8
    for question in Question.objects.filter(aspect__questionnaire=questionnaire).select_related("aspect"):
        totals[question.aspect.number - 1] += 1
    offices = {}
    by_id = {}
    for submission in Submission.objects.filter(questionnaire=questionnaire).select_related(
        "office__province"
    ):
        office = Office(
            code=submission.office.code,
            name=submission.office.name_th,
            province=submission.office.province.code,
            totals=totals,
            yearly_hours=questionnaire.yearly_hours,
            confirmed=submission.confirmed_at is not None,
        )
        offices[office.code] = by_id[submission.pk] = office
    for answer in Answer.objects.filter(submission__questionnaire=questionnaire).select_related(
        "question__aspect"
    ):
        office = by_id[answer.submission_id]
        n = answer.question.aspect.number - 1
        office.answered[n] += 1
        office.hours[n] += answer.volume * (answer.days * per_day + answer.hours)
    for item in ExtraItem.objects.filter(submission__questionnaire=questionnaire):
        by_id[item.submission_id].extra += item.volume * (item.days * per_day + item.hours)
    own_district = {
        s.office.district_id: s.office.code
        for s in Submission.objects.filter(questionnaire=questionnaire).select_related("office")
    }
    for row in CoveredDistrict.objects.filter(submission__questionnaire=questionnaire).select_related(
        "submission__office"
    ):
        owner = own_district.get(row.district_id)
        if owner and owner != row.submission.office.code:
            offices[owner].covered_by = row.submission.office.short_name
    return offices


def province_counts(offices) -> dict[str, Counter]:
    counts = defaultdict(Counter)
    for office in offices:
        row = counts[office.province]
        row["offices"] += 1
        row["covered"] += office.covered
        row["recorded"] += office.recorded and not office.covered
        row["complete"] += office.complete and not office.covered
        row["confirmed"] += office.confirmed
        row["hours"] += office.total
    return counts


def number(text) -> Decimal:
    return Decimal(text.replace(",", "").strip())


def rounded(value) -> Decimal:
    """Two decimals, half up (a float from a workbook read through its shortest text)."""
    return Decimal(str(value) if isinstance(value, float) else value).quantize(CENT, rounding=ROUND_HALF_UP)


# --- reading pages ---------------------------------------------------------------------------------


class Figures(HTMLParser):
    """Cells marked ``data-fig`` (text and ``data-status``) by the ``data-row`` of their row, and
    every table's rows of cell texts by the id of the section around it."""

    def __init__(self, html):
        super().__init__()
        self.cells, self.tables = {}, defaultdict(list)
        self.row = self.section = None
        self.capture = None  # [key, depth, texts]
        self.table_row = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "section" and "id" in attrs:
            self.section = attrs["id"]
        if tag == "tr":
            self.row = attrs.get("data-row")
            self.table_row = []
        if tag in ("td", "th") and self.table_row is not None:
            self.table_row.append("")
        if self.capture:
            self.capture[1] += 1
        elif "data-fig" in attrs:
            key = (self.row, attrs["data-fig"])
            self.cells[key] = {"status": attrs.get("data-status"), "text": ""}
            self.capture = [key, 1]

    def handle_endtag(self, tag):
        if self.capture:
            self.capture[1] -= 1
            if self.capture[1] == 0:
                self.capture = None
        if tag == "tr" and self.table_row is not None:
            self.tables[self.section].append([cell.strip() for cell in self.table_row])
            self.table_row = None

    def handle_data(self, data):
        if self.capture:
            self.cells[self.capture[0]]["text"] += data
        if self.table_row:
            self.table_row[-1] += data

    def text(self, row, fig) -> str:
        return self.cells[(row, fig)]["text"].strip()


def page(client, url, **params) -> Figures:
    response = client.get(url, params)
    assert response.status_code == 200, url
    return Figures(response.content.decode())


def sheets(response) -> dict[str, list[tuple]]:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets}


def shown_offices(offices):
    """Every office with anything of its own or another's, and a few without anything."""
    with_data = [o for o in offices.values() if o.recorded or o.extra or o.covered or o.confirmed]
    return with_data + [o for o in offices.values() if o.province == EMPTY_PROVINCE][:3]


# --- the tests ----------------------------------------------------------------------------------


def test_the_data_has_every_state_to_compare(data):
    offices = [o for year in data["expected"].values() for o in year.values()]
    assert {"covered", "confirmed", "complete", "partly", "empty"} <= {
        "covered" if o.covered else "confirmed" if o.confirmed else "complete" if o.complete else
        "partly" if o.recorded else "empty" for o in offices
    }  # fmt: skip
    assert any(o.extra for o in offices)
    assert not any(o.complete for o in data["expected"][2571].values())  # aspect 8 has no questions


@pytest.mark.parametrize("fy", YEARS)
def test_district_pages_show_the_recomputed_status_and_hours(data, admin_client, fy):
    for office in shown_offices(data["expected"][fy]):
        shown = page(admin_client, reverse("workload:status", args=[fy, office.code]))
        for n in range(1, 9):
            assert shown.cells[(str(n), "status")]["status"] == (
                "covered" if office.covered else office.status(n)
            )
            assert shown.text(str(n), "answered") == f"{office.answered[n - 1]} / {office.totals[n - 1]}"
            assert number(shown.text(str(n), "hours")) == office.hours[n - 1], (office.code, n)
        assert number(shown.text(None, "extra")) == office.extra
        assert number(shown.text(None, "total")) == office.total
        assert number(shown.text(None, "fte")) == office.fte


@pytest.mark.parametrize("fy", YEARS)
def test_province_review_shows_the_recomputed_status_and_fte(data, admin_client, fy):
    offices = data["expected"][fy]
    for code in (*PROVINCES_WITH_DATA, EMPTY_PROVINCE):
        shown = page(admin_client, reverse("workload:province", args=[fy, code]))
        rows = {row for row, _fig in shown.cells}
        assert rows == {o.code for o in offices.values() if o.province == code}
        for office in (o for o in offices.values() if o.province == code):
            if office.covered:
                assert (office.code, "covered") in shown.cells
            else:
                statuses = [shown.cells[(office.code, f"status-{n}")]["status"] for n in range(1, 9)]
                assert statuses == [office.status(n) for n in range(1, 9)], office.code
            assert number(shown.text(office.code, "fte")) == office.fte, office.code


@pytest.mark.parametrize("fy", YEARS)
def test_national_overview_counts_and_sums_what_the_raw_rows_say(data, admin_client, fy):
    offices = data["expected"][fy]
    shown = page(admin_client, reverse("workload:national", args=[fy]))
    counts = province_counts(offices.values())
    keys = ("offices", "covered", "recorded", "complete", "confirmed")
    for province in Province.objects.filter(is_bangkok=False):
        assert [int(shown.text(province.code, key)) for key in keys] == [
            counts[province.code][k] for k in keys
        ]
    assert [int(shown.text("total", key)) for key in keys] == [
        sum(c[k] for c in counts.values()) for k in keys
    ]
    yearly = Questionnaire.objects.get(fiscal_year=fy).yearly_hours
    for n in range(1, 9):
        hours = sum((o.hours[n - 1] for o in offices.values()), Decimal(0))
        assert number(shown.text(f"aspect-{n}", "answers")) == sum(
            o.answered[n - 1] for o in offices.values()
        )
        assert number(shown.text(f"aspect-{n}", "hours")) == rounded(hours)
        assert number(shown.text(f"aspect-{n}", "fte")) == rounded(hours / yearly)


def _report_province_rows(offices):
    """The whole-country report's province rows as the raw rows give them (provinces with offices)."""
    names = dict(Province.objects.values_list("code", "name_th"))
    yearly = next(iter(offices.values())).yearly_hours
    rows = {}
    for code, c in province_counts(offices.values()).items():
        expected_base = c["offices"] - c["covered"]
        rows[names[code]] = [
            c["offices"], c["covered"], c["recorded"], c["complete"], c["confirmed"],
            rounded(Decimal(c["confirmed"] * 100) / expected_base) if expected_base else None,
            c["hours"], rounded(c["hours"] / yearly),
            rounded(c["hours"] / (yearly * c["offices"])),
        ]  # fmt: skip
    return rows


def _office_state(office) -> str:
    if office.covered:
        return "covered"
    if office.confirmed:
        state = "Confirmed"
    elif office.complete:
        state = "Complete"
    else:
        state = "Partly recorded" if office.recorded else "Nothing recorded"
    with translation.override("th"):
        return gettext(state)


@pytest.mark.parametrize("fy", YEARS)
def test_dla_report_page_and_xlsx_agree_with_the_raw_rows(data, admin_client, fy):
    offices = data["expected"][fy]
    expected = _report_province_rows(offices)
    url, xlsx_url = reverse("reports:workload"), reverse("reports:workload_xlsx")

    shown = page(admin_client, url, fy=fy)
    body = {row[0]: row[1:] for row in shown.tables["provinces"] if row and row[0] in expected}
    assert set(body) == set(expected)
    for name, values in expected.items():
        cells = body[name]
        assert [int(c) for c in cells[:5]] == values[:5], name
        assert (number(cells[5]) if cells[5] not in ("", "—") else None) == values[5], name
        assert [number(c) for c in cells[6:9]] == [rounded(values[6]), *values[7:9]], name
    (by_province, *_rest) = sheets(admin_client.get(xlsx_url, {"fy": fy})).values()
    in_sheet = {row[0]: list(row[1:]) for row in by_province if row and row[0] in expected}
    assert set(in_sheet) == set(expected)
    for name, values in expected.items():
        cells = in_sheet[name]
        assert cells[:5] == values[:5], name
        # A percentage is kept in the workbook as a fraction, shown with a percent format.
        assert (None if cells[5] is None else rounded(Decimal(str(cells[5])) * 100)) == values[5], name
        assert [rounded(v) for v in cells[6:9]] == [rounded(values[6]), *values[7:9]], name

    for code in PROVINCES_WITH_DATA:
        mine = {o.name: o for o in offices.values() if o.province == code}
        shown = page(admin_client, url, fy=fy, province=code)
        rows = {row[0]: row[1:] for row in shown.tables["offices"] if row and row[0] in mine}
        (_summary, sheet, *_rest) = sheets(admin_client.get(xlsx_url, {"fy": fy, "province": code})).values()
        in_sheet = {row[0]: row[1:] for row in sheet if row and row[0] in mine}
        assert set(rows) == set(in_sheet) == set(mine)
        for name, office in mine.items():
            status, answered, _percent, hours, fte = rows[name]
            state = _office_state(office)
            if state == "covered":
                with translation.override("th"):
                    assert status == gettext("Recorded together with %(office)s") % {
                        "office": office.covered_by
                    }
            else:
                assert status == state, name
            assert int(answered) == sum(office.answered) == in_sheet[name][1]
            assert number(hours) == office.total and rounded(in_sheet[name][3]) == rounded(office.total), name
            assert number(fte) == office.fte == rounded(in_sheet[name][4]), name


@pytest.mark.parametrize("fy", YEARS)
def test_answers_export_sums_to_the_recomputed_hours(data, admin_client, fy):
    offices = data["expected"][fy]
    (rows,) = sheets(admin_client.get(reverse("workload:export", args=[fy]))).values()
    answered, hours = Counter(), defaultdict(Decimal)
    for row in rows[1:]:
        if row[1] in offices:
            answered[(row[1], row[3])] += 1
            hours[(row[1], row[3])] += Decimal(str(row[10]))
    for office in offices.values():
        for n in range(1, 9):
            assert answered[(office.code, n)] == office.answered[n - 1]
            assert rounded(hours[(office.code, n)]) == rounded(office.hours[n - 1]), (office.code, n)


# --- the home page's cards and the reminders ------------------------------------------------------


@pytest.mark.parametrize("fy", YEARS)
def test_reminders_go_to_the_offices_the_raw_rows_say_are_incomplete(data, fy):
    """Not confirmed, not recorded with another office, not complete (every aspect answered in full)."""
    offices = data["expected"][fy]
    reminded = services.incomplete_submissions(Questionnaire.objects.get(fiscal_year=fy))
    assert {s.office.code for s in reminded} == {
        o.code for o in offices.values() if not (o.confirmed or o.covered or o.complete)
    }


@pytest.mark.parametrize("username", ["district_recorder", "district_recorder_b"])
def test_a_recorders_home_card_counts_the_aspects_the_raw_rows_say_are_not_complete(data, username):
    user = User.objects.get(username=username)
    today = timezone.localdate()
    questionnaire = services.current_questionnaire(today)
    office = data["expected"][questionnaire.fiscal_year][user.org_unit.code]
    (card,) = [c for c in tasks.tasks(user, today) if c.key == "aspects_to_complete"]
    missing = [n for n in range(1, 9) if office.status(n) != "complete"]
    assert card.count == (0 if office.confirmed else len(missing))
    complete = 8 - len(missing)
    assert card.note == gettext("%(complete)s of %(total)s aspects complete") % {
        "complete": complete,
        "total": 8,
    }


@pytest.mark.parametrize("username", ["province_confirmer", "province_confirmer_b"])
def test_a_confirmers_home_cards_split_the_offices_the_raw_rows_say_wait(data, username):
    """Every office of the province not confirmed and recorded by itself is on one of the two cards:
    waiting only when complete (contact details and districts may still hold one back)."""
    user = User.objects.get(username=username)
    today = timezone.localdate()
    questionnaire = services.current_questionnaire(today)
    province = user.org_unit.province.code
    offices = [o for o in data["expected"][questionnaire.fiscal_year].values() if o.province == province]
    cards = {c.key: c for c in tasks.tasks(user, today)}
    waiting, behind = cards["districts_to_confirm"], cards["districts_behind"]
    open_offices = [o for o in offices if not (o.confirmed or o.covered)]
    assert waiting.count + behind.count == len(open_offices)
    assert waiting.count <= sum(o.complete for o in open_offices)
    assert behind.count >= sum(not o.complete for o in open_offices)
    by_code = {o.code: o for o in offices}
    for item in (*waiting.items, *behind.items):
        office = by_code[re.search(r"/(DLA-D\d+)/", item.url).group(1)]
        complete = sum(office.status(n) == "complete" for n in range(1, 9))
        assert item.note == gettext("%(complete)s of %(total)s aspects complete") % {
            "complete": complete,
            "total": 8,
        }
