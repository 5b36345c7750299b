"""National-scale data for the benchmark: ``manage.py generate_scale --years N --scale S``.

For scale 1, each fiscal year has ~200 ALRO projects of five activities, each
activity assigned to ten of the 86 units, with twelve months of plans,
results, step progress, indicator results, spending per budget line,
transfers and procurements; and the DLA's questionnaire of 109 questions with
all 878 district offices' answers (every past year confirmed). About 3,000
users hold the twelve roles. Rows go in with COPY, a year per transaction,
with the row triggers (audit, summaries, locks) set aside; the summaries of
the dashboards and of the submissions are rebuilt once at the end. The same
seed gives the same data.

Generated users share one password (``--password``); benchmark logins use the
names ``bench_<role>`` and ``bench_<role>_<code>`` (see ``Loader.users``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import json
import random
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.utils import timezone
from psycopg.types.json import Jsonb

from accounts.models import OrgUnit
from accounts.roles import ROLE_FUNDING_SOURCES, Role
from tracking.thaicalendar import current_fiscal_year, fiscal_month_of
from workload.demo_questions import ASPECTS, TYPICAL

CENT = Decimal("0.01")
FLUSH_EVERY = 100_000  # rows buffered before a COPY

# (theme, output unit, budget categories, steps) of the kinds of ALRO project the generator draws from.
THEMES = [
    (
        "จัดที่ดินทำกินให้เกษตรกรและชุมชน",
        "ไร่",
        ("operating",),
        ["เตรียมเอกสารและประสานพื้นที่", "สำรวจรังวัดภาคสนาม", "จัดทำแผนที่และรูปแปลง"],
    ),
    (
        "พัฒนาโครงสร้างพื้นฐานในเขตปฏิรูปที่ดิน",
        "แห่ง",
        ("investment", "operating"),
        ["สำรวจออกแบบ", "จัดซื้อจัดจ้าง", "ก่อสร้าง", "ตรวจรับงาน"],
    ),
    (
        "พัฒนาศักยภาพเกษตรกรและสถาบันเกษตรกร",
        "ราย",
        ("operating", "subsidy"),
        ["จัดทำหลักสูตร", "ดำเนินการอบรม", "ติดตามประเมินผล"],
    ),
    (
        "สนับสนุนสินเชื่อเพื่อการพัฒนาอาชีพเกษตรกรรม",
        "ราย",
        ("other",),
        ["รับคำขอกู้และตรวจสอบ", "พิจารณาอนุมัติ", "จ่ายเงินกู้", "ติดตามการใช้เงินกู้"],
    ),
    (
        "ส่งเสริมเกษตรกรรมยั่งยืนและเกษตรทฤษฎีใหม่",
        "แปลง",
        ("operating",),
        ["คัดเลือกแปลงเป้าหมาย", "ส่งเสริมและสนับสนุนปัจจัยการผลิต", "ติดตามผล"],
    ),
]
PLACES = ["ภาคเหนือ", "ภาคตะวันออกเฉียงเหนือ", "ภาคกลาง", "ภาคใต้", "พื้นที่ลุ่มน้ำ", "พื้นที่สูง"]
FIRST = ["สมชาย", "สมหญิง", "ประเสริฐ", "วิไลวรรณ", "ธนากร", "ศิริพร", "อนุชา", "มาลี", "กมล", "วันเพ็ญ"]
LAST = ["ใจดี", "ทองดี", "ศรีสุข", "บุญมา", "แก้วมณี", "คำแสน", "ปัญญาดี", "สุขเจริญ", "ดวงแก้ว", "มั่นคง"]
SHARES = [4, 6, 8, 9, 10, 10, 10, 10, 9, 9, 8, 7]  # how a year's work spreads over Oct … Sep


@dataclass
class Counts:
    rows: dict = field(default_factory=dict)

    def add(self, table, n):
        self.rows[table] = self.rows.get(table, 0) + n

    @property
    def total(self):
        return sum(self.rows.values())


class Loader:
    """Buffers rows per table and writes them with COPY, giving ids itself."""

    def __init__(self):
        self.buffers: dict = {}
        self.ids: dict = {}
        self.counts = Counts()

    def next_id(self, label: str) -> int:
        if label not in self.ids:
            model = apps.get_model(label)
            with connection.cursor() as cursor:
                cursor.execute(f'SELECT COALESCE(MAX(id), 0) FROM "{model._meta.db_table}"')  # noqa: S608  # nosec B608
                self.ids[label] = itertools.count(cursor.fetchone()[0] + 1)
        return next(self.ids[label])

    def add(self, label: str, row: dict) -> int:
        """Queue a row (a dict of column → value) and return its id."""
        row.setdefault("id", self.next_id(label))
        columns, rows = self.buffers.setdefault(label, (tuple(row), []))
        rows.append(tuple(row[c] for c in columns))
        if sum(len(r) for _c, r in self.buffers.values()) >= FLUSH_EVERY:
            self.flush()
        return row["id"]

    def flush(self):
        raw = connection.cursor().cursor
        for label, (columns, rows) in self.buffers.items():
            if not rows:
                continue
            table = apps.get_model(label)._meta.db_table
            names = ", ".join(f'"{c}"' for c in columns)
            with raw.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
                for row in rows:
                    copy.write_row(row)
            self.counts.add(table, len(rows))
            rows.clear()

    def reset_sequences(self):
        with connection.cursor() as cursor:
            for label in self.ids:
                table = apps.get_model(label)._meta.db_table
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "  # noqa: S608  # nosec B608
                    f'(SELECT COALESCE(MAX(id), 1) FROM "{table}"))'
                )


def triggers_aside():
    """Set the row triggers aside for this session: as a superuser for every table at once, else
    table by table (the owner may), for the tables the generator writes."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        if cursor.fetchone()[0]:
            cursor.execute("SET session_replication_role = replica")
            return []
        tables = [apps.get_model(label)._meta.db_table for label in WRITTEN]
        for table in tables:
            cursor.execute(f'ALTER TABLE "{table}" DISABLE TRIGGER USER')
        return tables


def triggers_back(tables):
    with connection.cursor() as cursor:
        if not tables:  # a superuser's session set them all aside (only a superuser may set it back)
            cursor.execute("SET session_replication_role = DEFAULT")
        for table in tables:
            cursor.execute(f'ALTER TABLE "{table}" ENABLE TRIGGER USER')


WRITTEN = [
    "accounts.User",
    "projects.Project",
    "projects.Activity",
    "projects.ActivityUnit",
    "projects.Step",
    "projects.MonthlyPlan",
    "projects.BudgetAllocation",
    "projects.Indicator",
    "projects.IndicatorTarget",
    "progress.PerformanceResult",
    "progress.StepProgress",
    "progress.IndicatorResult",
    "progress.Disbursement",
    "progress.Transfer",
    "progress.Procurement",
    "progress.MonthClosure",
    "workload.Submission",
    "workload.CoveredDistrict",
    "workload.Answer",
]


@dataclass
class _Year:
    """An ALRO fiscal year being generated: its first day, the time its rows are stamped, its months."""

    fy: int
    past: bool
    start: dt.date
    noon: dt.datetime
    months: range

    @classmethod
    def of(cls, fy: int, past: bool, current_month: int) -> _Year:
        return cls(
            fy=fy,
            past=past,
            start=dt.date(fy - 544, 10, 1),
            noon=timezone.make_aware(dt.datetime(fy - 544, 10, 1, 12, 0)),
            months=range(1, 13) if past else range(1, current_month + 1),
        )


@dataclass
class _Activity:
    """An activity's rows, as each unit assigned to it needs them."""

    id: int
    output_unit: str
    categories: tuple
    source: str
    step_ids: list
    weights: list
    indicator: int
    unit_target: int  # each of the ten units' share of the indicator's target


@dataclass
class _Assigned:
    """One assigned unit being generated: its row, budget lines and (once planned) monthly plan."""

    id: int
    lines: dict  # (category, carried over) → amount
    yearly_output: int = 0
    planned_q: list = field(default_factory=list)
    planned_s: list = field(default_factory=list)

    @cached_property
    def this_year(self) -> Decimal:
        return sum((a for (_c, carried), a in self.lines.items() if not carried), Decimal(0))


class Generator:
    def __init__(self, *, years: int, scale: float, seed: int, password: str, stdout=None):
        self.years = years
        self.scale = scale
        self.seed = seed
        self.password = password
        self.stdout = stdout
        self.loader = Loader()
        current = current_fiscal_year()
        self.fiscal_years = list(range(current - years + 1, current + 1))
        self.current_month = fiscal_month_of(timezone.localdate()).index

    def say(self, text):
        if self.stdout is not None:
            self.stdout.write(text)

    def run(self) -> Counts:
        from projects.models import Project
        from workload.models import Questionnaire

        if (
            Project.objects.exists()
            or Questionnaire.objects.filter(submissions__answers__isnull=False).exists()
        ):
            raise RuntimeError("generate_scale fills an empty database: projects or workload answers exist.")
        units = OrgUnit.objects.select_related("province", "district")
        self.alro_central = list(units.filter(agency="alro", kind="central").order_by("code"))
        self.alro_provincial = list(units.filter(agency="alro", kind="provincial").order_by("code"))
        self.offices = list(units.filter(agency="dla", kind="district").order_by("code"))
        with transaction.atomic():
            aside = triggers_aside()
            self.users()
            self.loader.flush()
            self.loader.reset_sequences()
            triggers_back(aside)
        for fy in self.fiscal_years:
            with transaction.atomic():
                aside = triggers_aside()
                rng = random.Random(f"{self.seed}-{fy}")  # noqa: S311 - generated test data  # nosec B311
                self.alro_year(fy, rng)
                self.dla_year(fy, rng)
                self.loader.flush()
                self.loader.reset_sequences()
                triggers_back(aside)
            self.say(f"Fiscal year {fy}: {self.loader.counts.total:,} rows so far.")
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT progress_refresh_all_figures()")
            cursor.execute("SELECT workload_refresh_all_figures()")
            cursor.execute("ANALYZE")
        self.say("Summaries of the dashboards and of the district submissions rebuilt.")
        return self.loader.counts

    # --- people --------------------------------------------------------------------------------

    def users(self):
        """About 3,000 accounts (scaled): the roles of both agencies in their units."""
        rng = random.Random(f"{self.seed}-users")  # noqa: S311  # nosec B311
        password = make_password(self.password)
        groups = {g.name: g.pk for g in Group.objects.filter(name__in=Role.values)}
        joined = timezone.make_aware(dt.datetime(self.fiscal_years[0] - 544, 10, 1, 9, 0))
        self.user_ids = {}

        def person(username, role, unit, superuser=False):
            user_id = self.loader.add(
                "accounts.User",
                {
                    "password": password,
                    "last_login": None,
                    "is_superuser": superuser,
                    "username": username,
                    "first_name": rng.choice(FIRST),
                    "last_name": rng.choice(LAST),
                    "email": f"{username}@bench.invalid",
                    "is_staff": superuser,
                    "is_active": True,
                    "date_joined": joined,
                    "org_unit_id": unit.pk,
                    "funding_sources": [str(s) for s in ROLE_FUNDING_SOURCES.get(role, [])],
                    "position": "",
                    "phone": f"08{rng.randint(10000000, 99999999)}",
                    "email_notifications": True,
                },
            )
            self.user_groups.append((user_id, groups[role]))
            self.user_ids.setdefault(role, []).append(user_id)
            return user_id

        self.user_groups = []
        agency = {u.agency: u for u in OrgUnit.objects.filter(kind="agency")}
        dla_central = OrgUnit.objects.filter(agency="dla", kind="central").first() or agency["dla"]
        by_code = {u.code: u for u in self.alro_central}
        # The names the benchmark signs in with.
        person("bench_super_admin", Role.SUPER_ADMIN, by_code.get("ALRO-ICT", agency["alro"]), superuser=True)
        person("bench_admin_all", Role.ADMIN_ALL, by_code.get("ALRO-KTP", agency["alro"]))
        person("bench_admin_fund", Role.ADMIN_FUND, by_code.get("ALRO-SBT", agency["alro"]))
        person("bench_finance_budget", Role.FINANCE_BUDGET, by_code.get("ALRO-SBK", agency["alro"]))
        person("bench_finance_fund", Role.FINANCE_FUND, by_code.get("ALRO-SBT", agency["alro"]))
        person("bench_report_viewer", Role.REPORT_VIEWER, by_code.get("ALRO-SWP", agency["alro"]))
        person("bench_dla_admin", Role.DLA_ADMIN, dla_central)
        self.reporters, self.confirmers = {}, {}
        for unit in self.alro_provincial:
            self.reporters[unit.pk] = person(
                f"bench_province_user_{unit.province.code}", Role.PROVINCE_USER, unit
            )
        for unit in self.alro_central:
            self.reporters[unit.pk] = person(f"bench_bureau_user_{unit.code}", Role.BUREAU_USER, unit)
        for office in self.offices:
            person(f"bench_district_recorder_{office.district.code}", Role.DISTRICT_RECORDER, office)
        for unit in OrgUnit.objects.filter(agency="dla", kind="provincial").select_related("province"):
            code = unit.province.code
            self.confirmers[unit.province_id] = person(
                f"bench_province_confirmer_{code}", Role.PROVINCE_CONFIRMER, unit
            )
            person(f"bench_province_sso_admin_{code}", Role.PROVINCE_SSO_ADMIN, unit)
        # Everyone else: colleagues in the same units, up to ~3,000 accounts at scale 1.
        target = max(0, round(3000 * self.scale) - len(self.user_groups))
        pool = (
            [(u, Role.PROVINCE_USER) for u in self.alro_provincial]
            + [(u, Role.BUREAU_USER) for u in self.alro_central]
            + [(u, Role.DISTRICT_RECORDER) for u in self.offices]
        )
        for index in range(target):
            unit, role = pool[index % len(pool)]
            person(f"user{index:05d}", role, unit)
        for user_id, group_id in self.user_groups:
            self.loader.add("accounts.User_groups", {"user_id": user_id, "group_id": group_id})
        self.finance = {
            "budget_act": self.user_ids[Role.FINANCE_BUDGET][0],
            "land_reform_fund": self.user_ids[Role.FINANCE_FUND][0],
        }
        self.admin = self.user_ids[Role.SUPER_ADMIN][0]

    # --- ALRO ----------------------------------------------------------------------------------

    def alro_year(self, fy: int, rng: random.Random):
        add = self.loader.add
        year = _Year.of(fy, past=fy < self.fiscal_years[-1], current_month=self.current_month)
        for index in range(round(200 * self.scale)):
            theme, output_unit, categories, steps = THEMES[index % len(THEMES)]
            source = "land_reform_fund" if theme.startswith("สนับสนุนสินเชื่อ") or index % 5 == 4 else "budget_act"
            project = add(
                "projects.Project",
                {
                    "fiscal_year": fy,
                    "funding_source": source,
                    "code": f"{fy % 100}-{index + 1:03d}",
                    "name": f"โครงการ{theme} {rng.choice(PLACES)} ปี {fy} ({index + 1})",
                    "owner_unit_id": rng.choice(self.alro_central).pk,
                    "strategy": "",
                    "objective": "",
                    "start_date": year.start,
                    "end_date": dt.date(fy - 543, 9, 30),
                    "status": "completed" if year.past else "active",
                    "created_at": year.noon,
                    "updated_at": year.noon,
                },
            )
            for order in range(1, 6):
                activity = add(
                    "projects.Activity",
                    {
                        "project_id": project,
                        "order": order,
                        "name": f"{steps[order % len(steps)]} กิจกรรมที่ {order}",
                        "description": "",
                    },
                )
                weights = _weights(len(steps), rng)
                step_ids = [
                    add("projects.Step", {"activity_id": activity, "order": i, "name": name, "weight": w})
                    for i, (name, w) in enumerate(zip(steps, weights, strict=True), start=1)
                ]
                target = rng.randint(50, 500) * 10
                indicator = add(
                    "projects.Indicator",
                    {
                        "activity_id": activity,
                        "name": f"ผลผลิต{theme}",
                        "unit_of_measure": output_unit,
                        "target": target,
                    },
                )
                of = _Activity(
                    activity, output_unit, categories, source, step_ids, weights, indicator, target // 10
                )
                chosen = rng.sample(self.alro_provincial, 8) + rng.sample(self.alro_central, 2)
                for unit in chosen:
                    self._assignment(year, rng, of, unit)
        if year.past:
            for month in range(1, 13):
                add(
                    "progress.MonthClosure",
                    {"fiscal_year": fy, "month": month, "closed_at": year.noon, "closed_by_id": self.admin},
                )

    def _assignment(self, year: _Year, rng: random.Random, activity: _Activity, unit):
        """One unit assigned to an activity: money and plan, a year of reports, transfers, a procurement."""
        assigned = self._allocate(year, rng, activity, unit)
        self._plan(rng, assigned, activity)
        reporter = self.reporters.get(unit.pk, self.admin)
        payer = self.finance[activity.source]
        pace = rng.uniform(0.75, 1.05)
        done_to_date = 0
        for month in year.months:
            done = max(0, round(assigned.planned_q[month - 1] * pace * rng.uniform(0.85, 1.1)))
            done_to_date += done
            stamp = year.noon + dt.timedelta(days=30 * month)
            self.loader.add(
                "progress.PerformanceResult",
                {
                    "version": 1,
                    "updated_at": stamp,
                    "updated_by_id": reporter,
                    "activity_unit_id": assigned.id,
                    "month": month,
                    "quantity": done,
                    "narrative": "ดำเนินการตามแผน",
                    "obstacles": "",
                },
            )
            self._spend(rng, assigned, month, pace, stamp, payer)
            if month % 3 == 0 or month == year.months[-1]:
                self._progress(assigned, activity, month, min(1.0, done_to_date / assigned.yearly_output))
        self._transfers(rng, assigned, year, payer)
        if rng.random() < 0.5:
            self._procurement(rng, assigned, year)

    def _allocate(self, year: _Year, rng: random.Random, activity: _Activity, unit) -> _Assigned:
        """The assignment's row and its budget lines (some carried over from last year in the current one)."""
        au = self.loader.add(
            "projects.ActivityUnit",
            {
                "activity_id": activity.id,
                "unit_id": unit.pk,
                "is_executing": True,
                "is_budget_receiving": True,
                "output_unit": activity.output_unit,
            },
        )
        lines = {(c, False): Decimal(rng.randint(20, 400) * 5000) for c in activity.categories}
        if year.fy == self.fiscal_years[-1] and rng.random() < 0.1:
            lines[(activity.categories[0], True)] = Decimal(rng.randint(10, 100) * 5000)
        for (category, carried), amount in lines.items():
            self.loader.add(
                "projects.BudgetAllocation",
                {
                    "activity_unit_id": au,
                    "category": category,
                    "carried_over": carried,
                    "amount": amount,
                },
            )
        return _Assigned(au, lines)

    def _plan(self, rng: random.Random, assigned: _Assigned, activity: _Activity) -> None:
        """The year's output spread over twelve months with the money to be spent, and the unit's target."""
        assigned.yearly_output = rng.randint(5, 200)
        assigned.planned_q, assigned.planned_s = _spread(assigned.yearly_output, assigned.this_year)
        for month in range(1, 13):
            self.loader.add(
                "projects.MonthlyPlan",
                {
                    "activity_unit_id": assigned.id,
                    "month": month,
                    "quantity": assigned.planned_q[month - 1],
                    "spending": assigned.planned_s[month - 1],
                },
            )
        self.loader.add(
            "projects.IndicatorTarget",
            {
                "indicator_id": activity.indicator,
                "activity_unit_id": assigned.id,
                "target": activity.unit_target,
            },
        )

    def _spend(self, rng: random.Random, assigned: _Assigned, month: int, pace: float, stamp, payer) -> None:
        """A month's spending on each budget line: this year's lines near plan, carried-over money early."""
        for (category, carried), amount in assigned.lines.items():
            share = amount / assigned.this_year if (assigned.this_year and not carried) else Decimal(0)
            # Never more than the plan, so no unit spends beyond what it received.
            factor = Decimal(str(round(min(0.999, pace * rng.uniform(0.8, 1.0)), 3)))
            spent = assigned.planned_s[month - 1] * share * factor
            if carried:
                spent = amount / 4 if month <= 4 else Decimal(0)
            spent = spent.quantize(CENT)
            if spent:
                self.loader.add(
                    "progress.Disbursement",
                    {
                        "version": 1,
                        "updated_at": stamp,
                        "updated_by_id": payer,
                        "activity_unit_id": assigned.id,
                        "month": month,
                        "category": category,
                        "carried_over": carried,
                        "committed": (spent / 5).quantize(CENT),
                        "disbursed": spent,
                        "override_reason": "",
                    },
                )

    def _progress(self, assigned: _Assigned, activity: _Activity, month: int, progress: float) -> None:
        """Steps done one after another by weight, and the indicator's result, at ``progress`` of the year."""
        begun = 0.0
        for step, weight in zip(activity.step_ids, activity.weights, strict=True):
            share = float(weight) / 100
            percent = max(0.0, min(1.0, (progress - begun) / share)) * 100
            begun += share
            self.loader.add(
                "progress.StepProgress",
                {
                    "activity_unit_id": assigned.id,
                    "step_id": step,
                    "month": month,
                    "percent": Decimal(str(round(percent, 2))),
                },
            )
        self.loader.add(
            "progress.IndicatorResult",
            {
                "indicator_id": activity.indicator,
                "activity_unit_id": assigned.id,
                "month": month,
                "value": round(activity.unit_target * progress),
            },
        )

    def _transfers(self, rng: random.Random, assigned: _Assigned, year: _Year, payer) -> None:
        """Money in: this year's lines in two instalments, carried-over money at once."""
        pools = {}
        for (_category, carried), amount in assigned.lines.items():
            pools[carried] = pools.get(carried, Decimal(0)) + amount
        for carried, amount in pools.items():
            first = amount if carried else (amount * Decimal("0.6")).quantize(CENT)
            for instalment, part in enumerate([first, amount - first] if not carried else [first]):
                self.loader.add(
                    "progress.Transfer",
                    {
                        "activity_unit_id": assigned.id,
                        "kind": "transfer",
                        "date": year.start + dt.timedelta(days=14 + 45 * instalment),
                        "amount": part,
                        "carried_over": carried,
                        "document_no": f"กษ 1201/{rng.randint(1000, 9999)}",
                        "note": "โอนจัดสรรงบประมาณ",
                        "override_reason": "",
                        "created_by_id": payer,
                        "created_at": year.noon,
                    },
                )

    def _procurement(self, rng: random.Random, assigned: _Assigned, year: _Year) -> None:
        price = Decimal(rng.randint(10, 200) * 10000)
        self.loader.add(
            "progress.Procurement",
            {
                "activity_unit_id": assigned.id,
                "item": "จ้างเหมาดำเนินงานตามกิจกรรม",
                "method": rng.choice(["specific", "selection", "e_bidding", "e_market"]),
                "reference_price": price,
                "contract_amount": (price * Decimal("0.97")).quantize(CENT),
                "vendor": "หจก.ก่อสร้างท้องถิ่น",
                "contract_no": f"{rng.randint(1, 99)}/{year.fy}",
                "contract_date": year.start + dt.timedelta(days=60),
                "delivery_due": year.start + dt.timedelta(days=150),
                "delivered_on": None,
                "egp_number": f"{year.fy % 100}{rng.randint(100000000, 999999999)}",
                "status": "contracted",
            },
        )

    # --- DLA -----------------------------------------------------------------------------------

    def dla_year(self, fy: int, rng: random.Random):
        past = fy < self.fiscal_years[-1]
        questionnaire, questions = _questionnaire(fy, past)
        answering = set(rng.sample(range(len(self.offices)), round(len(self.offices) * min(1.0, self.scale))))
        stamp = timezone.make_aware(dt.datetime(fy - 543, 2, 1, 10, 0))
        for index, office in enumerate(self.offices):
            filled = index in answering
            stage = 0 if past else rng.choice([0, 0, 0, 1, 1, 2, 3])  # 0 confirmed … 3 not started
            started = filled and stage < 3
            contact = _contact(rng, office) if started else dict.fromkeys(CONTACT, "")
            answers = []
            if started:
                answers = _answers(rng, questions if stage < 2 else questions[: len(questions) // 2])
            self._submission(
                fy, questionnaire, office, contact, answers, confirmed=filled and stage == 0, at=stamp
            )

    def _submission(
        self, fy, questionnaire, office, contact: dict, answers: list, confirmed: bool, at
    ) -> None:
        """An office's submission with its answers; a confirmed one carries its record and digest."""
        add = self.loader.add
        snapshot = digest = None
        if confirmed:
            snapshot = _snapshot(fy, office, contact, answers)
            digest = hashlib.sha256(
                json.dumps(snapshot, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
            ).hexdigest()
        submission = add(
            "workload.Submission",
            {
                "questionnaire_id": questionnaire.pk,
                "office_id": office.pk,
                **contact,
                "updated_at": at,
                "confirmed_at": at + dt.timedelta(days=10) if confirmed else None,
                "confirmed_by_id": self.confirmers.get(office.province_id) if confirmed else None,
                "snapshot": Jsonb(snapshot) if snapshot else None,
                "digest": digest or "",
                "reopened_at": None,
                "reopened_by_id": None,
                "reopen_reason": "",
            },
        )
        if contact["contact_name"]:
            add(
                "workload.CoveredDistrict",
                {
                    "submission_id": submission,
                    "questionnaire_id": questionnaire.pk,
                    "district_id": office.district_id,
                },
            )
        for question, volume, days, hours in answers:
            add(
                "workload.Answer",
                {
                    "volume": volume,
                    "days": days,
                    "hours": hours,
                    "submission_id": submission,
                    "question_id": question.pk,
                },
            )


CONTACT = ("office_address", "office_phone", "contact_name", "contact_mobile", "contact_email")


def _questionnaire(fy: int, past: bool):
    """The year's questionnaire (a past one open in January–March) and its questions, aspect by aspect."""
    from workload.models import Aspect, Question, Questionnaire

    today = timezone.localdate()
    opens, closes = (
        (dt.date(fy - 543, 1, 5), dt.date(fy - 543, 3, 31))
        if past
        else (today - dt.timedelta(days=20), today + dt.timedelta(days=60))
    )
    questionnaire = Questionnaire.objects.create(
        fiscal_year=fy, opens_on=opens, closes_on=closes, is_sample=True
    )
    questions = []
    for number, title, items in ASPECTS:
        aspect = Aspect.objects.create(questionnaire=questionnaire, number=number, title=title)
        questions += Question.objects.bulk_create(
            Question(aspect=aspect, order=order, text=text, unit=unit)
            for order, (text, unit) in enumerate(items, start=1)
        )
    return questionnaire, questions


def _contact(rng: random.Random, office) -> dict:
    return {
        "office_address": f"ที่ว่าการอำเภอ{office.district.name_th} จังหวัด{office.province.name_th}",
        "office_phone": f"0{rng.randint(20000000, 99999999)}",
        "contact_name": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
        "contact_mobile": f"08{rng.randint(10000000, 99999999)}",
        "contact_email": f"sto.{office.district.code}@bench.invalid",
    }


def _answers(rng: random.Random, questions) -> list[tuple]:
    """(question, volume, days, hours) near each question's typical answer."""
    answers = []
    for question in questions:
        volume, days, hours = TYPICAL[question.text]
        answers.append(
            (question, max(0, round(volume * rng.uniform(0.6, 1.4))), Decimal(days).quantize(CENT), hours)
        )
    return answers


def _snapshot(fy, office, contact, answers) -> dict:
    """The confirmation record in the shape workload.services.snapshot_of gives."""
    return {
        "fiscal_year": fy,
        "office": office.code,
        "office_name": office.name_th,
        "contact": contact,
        "covered_districts": [office.district.code],
        "district_names": {office.district.code: office.district.name_th},
        "answers": [
            {
                "aspect": q.aspect.number,
                "aspect_title": q.aspect.title,
                "question_id": q.pk,
                "order": q.order,
                "question": q.text,
                "unit": q.unit,
                "volume": volume,
                "days": str(days),
                "hours": hours,
            }
            for q, volume, days, hours in answers
        ],
        "extra_items": [],
    }


def _weights(count: int, rng: random.Random) -> list[Decimal]:
    """Step weights that add up to exactly 100."""
    raw = [rng.randint(1, 4) for _ in range(count)]
    weights = [Decimal(100 * r // sum(raw)) for r in raw]
    weights[-1] += 100 - sum(weights)
    return weights


def _spread(output: int, spending: Decimal):
    """Twelve months of output and spending whose sums are exactly the year's."""
    quantities, amounts = [], []
    left_q, left_s = output, spending
    for month, share in enumerate(SHARES, start=1):
        if month == 12:
            q, s = left_q, left_s
        else:
            q, s = output * share // 100, (spending * share / 100).quantize(CENT)
        quantities.append(q)
        amounts.append(s)
        left_q, left_s = left_q - q, left_s - s
    return quantities, amounts
