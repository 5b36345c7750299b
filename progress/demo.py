"""Demo progress: a whole year of FY 2569 and the months so far of FY 2570 (October, November).

Results near plan (a little behind in places), transfers of the year's
allocation in two instalments, disbursements, a few procurements and
generated photos; monthly reports in every state of the cycle (FY 2569 all
accepted; in FY 2570 handed in on time and late, accepted, one sent back,
drafts, and December not started). Loaded by `manage.py seed_demo`; never in production.
"""

import datetime as dt
import io
import random
from dataclasses import dataclass
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models, transaction
from PIL import Image, ImageDraw

from accounts.models import User
from progress import services
from progress.models import MonthReport, PerformanceResult, Transfer
from projects.models import ActivityUnit, BudgetAllocation, IndicatorTarget, MonthlyPlan

# Fiscal year → months reported: all of FY 2569, October and November of FY 2570.
MONTHS_BY_YEAR = {2569: tuple(range(1, 13)), 2570: (1, 2)}
PROCUREMENTS = [
    ("จ้างเหมาสำรวจรังวัดที่ดิน", "specific", "contracted"),
    ("จัดซื้อวัสดุสำนักงานและวัสดุสำรวจ", "specific", "delivered"),
    ("จ้างก่อสร้างถนนลูกรังเพื่อการเกษตร", "e_bidding", "in_process"),
]


def load(stdout):
    if Transfer.objects.exists():
        stdout.write("Progress: the demo results, transfers, spending and photos are already there.")
    else:
        _load_figures(stdout)
    _load_reports(stdout)


def _load_figures(stdout):
    rng = random.Random(69)  # noqa: S311 - demo figures  # nosec B311
    people = _People.of_demo()
    if people.admin is None:
        return
    assignments = ActivityUnit.objects.filter(
        activity__project__fiscal_year__in=MONTHS_BY_YEAR
    ).select_related("activity__project", "unit")
    # One month typed with an extra zero, for the review's outlier flags (progress.outliers): Chiang
    # Mai's first assignment of FY 2569 reports ten times its usual output in September.
    outlier = (
        assignments.filter(activity__project__fiscal_year=2569, unit__code="ALRO-P50").order_by("pk").first()
    )
    with transaction.atomic():
        for au in assignments:
            lines = list(
                BudgetAllocation.objects.filter(activity_unit=au).order_by("carried_over", "category")
            )
            _transfer_allocation(rng, au, people.payer(au), lines)
            _report_months(rng, au, people, lines, outlier=au == outlier)
        current = assignments.filter(
            activity__project__fiscal_year=2570, unit__code__in=["ALRO-P50", "ALRO-P57"]
        )
        _procurements_and_photos(rng, current.order_by("pk")[:6], people)
    stdout.write(
        f"Progress: {PerformanceResult.objects.count()} monthly results, transfers, spending, photos."
    )


@dataclass
class _People:
    """Who records the demo's figures: the finance officers by money source, the units' reporters."""

    finance: dict
    reporters: dict
    admin: User | None

    @classmethod
    def of_demo(cls):
        finance = {"budget_act": User.objects.filter(username="finance_budget").first(),
                   "land_reform_fund": User.objects.filter(username="finance_fund").first()}  # fmt: skip
        reporters = {u.org_unit_id: u for u in User.objects.filter(username__in=["province_user", "province_user_b",
                                                                                  "bureau_user", "bureau_user_b"])}  # fmt: skip
        return cls(finance, reporters, User.objects.filter(username="super_admin").first())

    def payer(self, au):
        return self.finance.get(au.activity.project.funding_source) or self.admin

    def reporter(self, au):
        return self.reporters.get(au.unit_id) or self.admin


def _transfer_allocation(rng, au, payer, lines) -> None:
    """The year's allocation in two instalments (October, November); carried-over money at once."""
    this_year = sum((a.amount for a in lines if not a.carried_over), Decimal(0))
    fy = au.activity.project.fiscal_year
    year = fy - 544  # calendar year in which the fiscal year starts
    second = Decimal("0.4") if fy < 2570 else Decimal("0.3")  # last year was paid in full
    if this_year:
        for day, share in ((dt.date(year, 10, 15), Decimal("0.6")), (dt.date(year, 11, 12), second)):
            services.transfer_add(
                by=payer, activity_unit=au, kind="transfer", date=day,
                amount=(this_year * share).quantize(Decimal("0.01")),
                document_no=f"กษ 1201/{rng.randint(1000, 9999)}", note="โอนจัดสรรงบประมาณ",
            )  # fmt: skip
    for line in (a for a in lines if a.carried_over):
        services.transfer_add(
            by=payer, activity_unit=au, kind="transfer", date=dt.date(year, 10, 20), amount=line.amount,
            carried_over=True, document_no=f"กษ 1201/{rng.randint(1000, 9999)}",
            note="โอนเงินกันไว้เบิกเหลื่อมปี",
        )  # fmt: skip


def _report_months(rng, au, people, lines, outlier: bool) -> None:
    """Each month's results (near plan, at the unit's own pace), steps, indicators and spending."""
    this_year = sum((a.amount for a in lines if not a.carried_over), Decimal(0))
    fy = au.activity.project.fiscal_year
    reporter, payer = people.reporter(au), people.payer(au)
    steps = list(au.activity.steps.all())
    indicators = _unit_targets(au)
    pace = Decimal(rng.uniform(0.78, 1.04))  # how well this unit keeps to its plan
    done_to_date = Decimal(0)
    yearly = sum((p.quantity for p in MonthlyPlan.objects.filter(activity_unit=au)), Decimal(0))
    for month in MONTHS_BY_YEAR[fy]:
        plan = MonthlyPlan.objects.filter(activity_unit=au, month=month).first()
        if plan is None:
            continue
        done = (plan.quantity * pace * Decimal(rng.uniform(0.9, 1.08))).quantize(Decimal("1"))
        if outlier and month == 12:
            done *= 10
        done_to_date += done
        progress = min(Decimal(1), done_to_date / yearly) if yearly else Decimal(0)
        services.performance_save(
            by=reporter, activity_unit=au, month=month, version=None,
            fields={"quantity": done, "narrative": "ดำเนินการตามแผน ประสานพื้นที่และเกษตรกรเป้าหมายแล้ว",
                    "obstacles": "" if done >= plan.quantity else "สภาพอากาศไม่เอื้ออำนวย ทำให้ล่าช้ากว่าแผนเล็กน้อย"},
            steps=_step_completion(steps, progress),
            indicators={i.pk: (target * progress).quantize(Decimal("1")) for i, target in indicators
                        if month % 3 == 0 or month == MONTHS_BY_YEAR[fy][-1]},
        )  # fmt: skip
        services.disbursement_save(
            by=payer, activity_unit=au, month=month, lines=list(_spending(rng, plan, lines, this_year, month)),
        )  # fmt: skip


def _procurements_and_photos(rng, assignments, people) -> None:
    """A procurement and a photo for each of a few of this year's assignments."""
    for index, au in enumerate(assignments):
        item, method, status = PROCUREMENTS[index % len(PROCUREMENTS)]
        services.procurement_save(
            by=people.payer(au), activity_unit=au,
            fields={"item": item, "method": method, "status": status, "vendor": "หจก.เชียงใหม่ก่อสร้าง",
                    "reference_price": Decimal("480000.00"), "contract_amount": Decimal("465000.00"),
                    "contract_no": f"{index + 1}/2570", "contract_date": dt.date(2026, 11, 5),
                    "delivery_due": dt.date(2027, 1, 31), "egp_number": f"6911{rng.randint(10000000, 99999999)}"},
        )  # fmt: skip
        services.photo_add(
            by=people.reporter(au), activity_unit=au, upload=_picture(index),
            caption=f"ภาพการดำเนินงาน {au.activity.name}", taken_on=dt.date(2026, 11, 3 + index),
        )  # fmt: skip


def _step_completion(steps, progress: Decimal) -> dict:
    """Steps run one after another, each over its share (weight) of the year's work: a step is
    done when the work reaches the end of its share."""
    result, start = {}, Decimal(0)
    for step in steps:
        share = step.weight / 100
        done = min(Decimal(1), max(Decimal(0), (progress - start) / share)) if share else Decimal(0)
        result[step.pk] = (done * 100).quantize(Decimal("0.01"))
        start += share
    return result


def _unit_targets(au):
    """Each indicator of the activity with this unit's share of its target (set here for the demo)."""
    units = list(ActivityUnit.objects.filter(activity=au.activity))
    yearly = {u.pk: sum((p.quantity for p in u.plans.all()), Decimal(0)) for u in units}
    whole = sum(yearly.values(), Decimal(0))
    result = []
    for indicator in au.activity.indicators.all():
        share = (
            (indicator.target * yearly[au.pk] / whole).quantize(Decimal("1")) if whole else indicator.target
        )
        IndicatorTarget.objects.update_or_create(
            indicator=indicator, activity_unit=au, defaults={"target": share}
        )
        result.append((indicator, share))
    return result


def _spending(rng, plan, lines, this_year, month):
    """A month's spending on each budget line: this year's lines near their share of the plan,
    carried-over money spent in the first four months."""
    for line in lines:
        if line.carried_over:
            amount = (line.amount * Decimal("0.25")).quantize(Decimal("0.01")) if month <= 4 else Decimal(0)
        elif this_year:
            share = line.amount / this_year
            amount = (plan.spending * share * Decimal(rng.uniform(0.6, 0.95))).quantize(Decimal("0.01"))
        else:
            continue
        yield services.LineFigures(
            category=line.category, carried_over=line.carried_over,
            committed=(amount * Decimal("0.2")).quantize(Decimal("0.01")), disbursed=amount,
        )  # fmt: skip


def _picture(index):
    """A small generated landscape (fields and sky) standing in for a field photo."""
    image = Image.new("RGB", (800, 600), (135 + index * 10, 190, 235))
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 330, 800, 600], fill=(90, 150 - index * 5, 70))
    for row in range(6):
        draw.line([0, 360 + row * 40, 800, 340 + row * 45], fill=(70, 120, 50), width=4)
    draw.ellipse([620, 60, 720, 160], fill=(250, 220, 90))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85)
    return SimpleUploadedFile(f"field-{index}.jpg", buffer.getvalue(), content_type="image/jpeg")


# FY 2570's reports, (unit code, project code, activity order, month) → steps, each (status, who,
# when, reason): handed in and reviewed as units and owners do. The due day is the 5th of the
# next month (no ReportingCalendar row), so a November report handed in on 6 December is late.
SENT_BACK_REASON = (
    "จำนวนผู้ผ่านการอบรมที่รายงานในเดือน พ.ย. 69 ไม่ตรงกับรายชื่อผู้เข้าอบรมที่แนบมา "
    "โปรดตรวจสอบจำนวนให้ตรงกับหลักฐาน แนบรายชื่อผู้เข้าอบรมให้ครบถ้วน แล้วส่งรายงานอีกครั้ง"
)
REPORTS_2570 = {
    # Land Management Bureau on the fund's land purchase: October accepted, November handed in late.
    ("ALRO-SJT", "F70-02", 1, 1): [("submitted", "bureau_user_b", (2026, 11, 4, 10, 15)),
                                   ("accepted", "admin_fund", (2026, 11, 6, 14, 0))],
    ("ALRO-SJT", "F70-02", 1, 2): [("submitted", "bureau_user_b", (2026, 12, 6, 8, 45))],
    # Area Development Bureau on farmer training: October accepted, November sent back.
    ("ALRO-SPP", "P70-03", 1, 1): [("submitted", "bureau_user", (2026, 11, 5, 16, 30)),
                                   ("accepted", "admin_all", (2026, 11, 7, 9, 20))],
    ("ALRO-SPP", "P70-03", 1, 2): [("submitted", "bureau_user", (2026, 12, 3, 11, 0)),
                                   ("sent_back", "admin_all", (2026, 12, 4, 13, 40), SENT_BACK_REASON)],
    # Provincial offices: October handed in on time, waiting for the owning bureau.
    ("ALRO-P57", "P70-01", 1, 1): [("submitted", "province_user_b", (2026, 11, 4, 15, 5))],
    ("ALRO-P50", "P70-02", 2, 1): [("submitted", "province_user", (2026, 11, 3, 9, 30))],
}  # fmt: skip


def _load_reports(stdout):
    """Monthly reports as the cycle leaves them, written with their dates (the triggers check each step).

    FY 2569's twelve months were handed in and accepted; FY 2570 as REPORTS_2570 says; the other
    months with figures are drafts, and December has not started.
    """
    if MonthReport.objects.exists():
        stdout.write("Progress: the demo monthly reports are already there.")
        return
    names = ["super_admin", "admin_all", "admin_fund", "bureau_user", "bureau_user_b", "province_user",
             "province_user_b"]  # fmt: skip
    people = {u.username: u for u in User.objects.filter(username__in=names)}
    admin = people.get("super_admin")
    if admin is None:
        return
    by_unit = {u.org_unit_id: u for name, u in people.items() if name.startswith(("province_", "bureau_"))}
    tz = dt.timezone(dt.timedelta(hours=7))
    with transaction.atomic():
        last_year = (
            PerformanceResult.objects.filter(activity_unit__activity__project__fiscal_year=2569)
            .values_list("activity_unit_id", "activity_unit__unit_id", "month")
            .order_by("activity_unit_id", "month")
        )
        rows = []
        for assignment_id, unit_id, month in last_year:
            # Month m of FY 2569 is handed in on the 3rd of the next month and accepted two days later.
            submitted = dt.datetime(2025 + (month + 9) // 12, (month + 9) % 12 + 1, 3, 10, 0, tzinfo=tz)
            rows.append(MonthReport(activity_unit_id=assignment_id, month=month, status="submitted",
                                    submitted_at=submitted, submitted_by=by_unit.get(unit_id, admin)))  # fmt: skip
        created = MonthReport.objects.bulk_create(rows)
        MonthReport.objects.filter(pk__in=[r.pk for r in created]).update(
            status="accepted", decided_by=people.get("admin_all") or admin,
            decided_at=models.F("submitted_at") + dt.timedelta(days=2),
        )  # fmt: skip
        for (unit_code, project_code, order, month), steps in REPORTS_2570.items():
            au = ActivityUnit.objects.filter(
                unit__code=unit_code, activity__project__fiscal_year=2570,
                activity__project__code=project_code, activity__order=order,
            ).first()  # fmt: skip
            if au is None:
                continue
            (_status, who, when), *decisions = steps
            report = MonthReport.objects.create(
                activity_unit=au, month=month, status="submitted",
                submitted_at=dt.datetime(*when, tzinfo=tz), submitted_by=people.get(who) or admin,
            )  # fmt: skip
            for status, who, when, *reason in decisions:
                MonthReport.objects.filter(pk=report.pk).update(
                    status=status, decided_by=people.get(who) or admin,
                    decided_at=dt.datetime(*when, tzinfo=tz), reason=reason[0] if reason else "",
                )  # fmt: skip
    stdout.write(f"Progress: {MonthReport.objects.count()} monthly reports in every state of the cycle.")
