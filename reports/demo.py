"""Demo disbursement targets and a closed month, loaded by `manage.py seed_demo`; never in production.

Targets are shaped like the cabinet's yearly targets (cumulative % of the budget by the end
of each quarter, the whole budget and investment apart); a real install enters
each year's figures from the cabinet resolution on the targets page.

October 2569 (FY 2570, month 1) is closed, reopened to correct one unit's spending and
closed again, so its official figures have two revisions and the dashboards show what changed.
"""

from decimal import Decimal

from django.db import transaction
from django.db.models import F

from accounts.models import User
from progress import closing
from progress.models import Disbursement, MonthClosure, OfficialRecord
from reports.models import DisbursementTargets

TARGETS = {
    "overall_q1": "32", "overall_q2": "54", "overall_q3": "77", "overall_q4": "100",
    "investment_q1": "20", "investment_q2": "45", "investment_q3": "65", "investment_q4": "100",
}  # fmt: skip
CLOSED_YEAR, CLOSED_MONTH = 2570, 1
CORRECTION = Decimal("5000")


def load(stdout):
    for fy in (2569, 2570):
        DisbursementTargets.objects.get_or_create(
            fiscal_year=fy, defaults={name: Decimal(value) for name, value in TARGETS.items()}
        )
    stdout.write("Reports: quarterly disbursement targets for fiscal years 2569 and 2570.")
    _closed_month(stdout)


def _closed_month(stdout):
    admin = User.objects.filter(username="super_admin").first()
    where = {"fiscal_year": CLOSED_YEAR, "month": CLOSED_MONTH}
    if (
        admin is None
        or OfficialRecord.objects.filter(**where).exists()
        or MonthClosure.objects.filter(**where)
    ):
        return
    spending = (
        Disbursement.objects.filter(
            activity_unit__activity__project__fiscal_year=CLOSED_YEAR,
            activity_unit__unit__code="ALRO-P50",
            month=CLOSED_MONTH,
            carried_over=False,
            disbursed__gte=CORRECTION,
        )
        .order_by("pk")
        .first()
    )
    with transaction.atomic():
        closing.month_close(by=admin, **where)
        if spending is None:
            return
        closing.month_reopen(
            by=admin,
            **where,
            reason="ส.ป.ก.จังหวัดเชียงใหม่บันทึกผลการเบิกจ่ายเดือน ต.ค. เกินจริง 5,000 บาท ขอแก้ไขตามหลักฐาน",
        )
        Disbursement.objects.filter(pk=spending.pk).update(
            disbursed=F("disbursed") - CORRECTION, version=F("version") + 1, updated_by=admin
        )
        closing.month_close(by=admin, **where)
    stdout.write("Reports: October 2569 closed, reopened for a correction and closed again (revision 2).")
