from django.contrib import admin

from reports.models import DisbursementTargets
from tracking.admin import ReadOnlyAdmin


@admin.register(DisbursementTargets)
class DisbursementTargetsAdmin(ReadOnlyAdmin):
    """Read-only here: targets are entered on the reports' targets page, which records who set them."""

    list_display = [
        "fiscal_year",
        *(f"{kind}_q{q}" for kind in ("overall", "investment") for q in range(1, 5)),
        "updated_by",
        "updated_at",
    ]
    list_select_related = ["updated_by"]
