"""Demo quarterly disbursement targets, loaded by `manage.py seed_demo`; never in production.

Shaped like the cabinet's yearly targets (cumulative % of the budget by the end
of each quarter, the whole budget and investment apart); a real install enters
each year's figures from the cabinet resolution on the targets page.
"""

from decimal import Decimal

from reports.models import DisbursementTargets

TARGETS = {
    "overall_q1": "32", "overall_q2": "54", "overall_q3": "77", "overall_q4": "100",
    "investment_q1": "20", "investment_q2": "45", "investment_q3": "65", "investment_q4": "100",
}  # fmt: skip


def load(stdout):
    for fy in (2569, 2570):
        DisbursementTargets.objects.get_or_create(
            fiscal_year=fy, defaults={name: Decimal(value) for name, value in TARGETS.items()}
        )
    stdout.write("Reports: quarterly disbursement targets for fiscal years 2569 and 2570.")
