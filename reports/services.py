"""Writes of the reports app: only the quarterly targets; the figures are kept by the database."""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from accounts import access
from reports.models import DisbursementTargets


def targets_save(*, by, fiscal_year: int, values: dict) -> DisbursementTargets:
    if not access.may_set_disbursement_targets(by):
        raise PermissionDenied
    with transaction.atomic():
        targets = DisbursementTargets.objects.select_for_update().filter(
            fiscal_year=fiscal_year
        ).first() or DisbursementTargets(fiscal_year=fiscal_year)
        for name, value in values.items():
            setattr(targets, name, value)
        targets.updated_by = by
        targets.full_clean()
        targets.save()
    return targets
