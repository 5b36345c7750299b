"""Writes of project management; each checks the access rules again inside its transaction."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from accounts import access
from projects.models import (
    Activity,
    ActivityUnit,
    BudgetAllocation,
    Indicator,
    IndicatorTarget,
    MonthlyPlan,
    Project,
    Step,
)
from tracking.rows import check_stamp, save_child, stamp_of


def _require(user, action, obj):
    if not access.can(user, action, obj):
        raise PermissionDenied


def project_stamp(project: Project) -> str:
    """The version of a project a form was opened on (see tracking.rows.check_stamp)."""
    return stamp_of(project.updated_at)


def project_save(*, by, project: Project | None, fields: dict, stamp: str | None = None) -> Project:
    """Create or change a project; the saved row must still be within the user's reach.

    ``stamp``: the version the form was opened on; if someone saved since, nothing is written.
    """
    with transaction.atomic():
        if project is None:
            project = Project()
        else:
            project = Project.objects.select_for_update().get(pk=project.pk)
            _require(by, access.CHANGE, project)
            check_stamp(stamp, project_stamp(project))
        for name, value in fields.items():
            setattr(project, name, value)
        project.full_clean()
        project.save()
        # e.g. Admin กองทุน switching a project to the budget act: undo everything.
        _require(by, access.CHANGE, project)
    return project


def project_delete(*, by, project: Project) -> None:
    with transaction.atomic():
        _require(by, access.DELETE, project)
        try:
            project.delete()
        except IntegrityError as error:  # results recorded against it (PROTECT)
            raise ValidationError(_("This project already has results and cannot be deleted.")) from error


def activity_save(*, by, project: Project, activity: Activity | None, fields: dict) -> Activity:
    with transaction.atomic():
        _require(by, access.CHANGE, project)
        return save_child(Activity, parent_field="project", parent=project, instance=activity, fields=fields)


def activity_delete(*, by, activity: Activity) -> None:
    with transaction.atomic():
        _require(by, access.DELETE, activity.project)
        try:
            activity.delete()
        except IntegrityError as error:
            raise ValidationError(_("This activity already has results and cannot be deleted.")) from error


def formset_save(*, by, activity: Activity, formset) -> None:
    """Save a formset of an activity's rows (units, steps, indicators) in one transaction."""
    with transaction.atomic():
        _require(by, access.CHANGE, activity.project)
        try:
            with transaction.atomic():
                formset.save()
                # The step-weight trigger is deferred to commit; check now to report it here.
                with connection.cursor() as cursor:
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        except IntegrityError as error:
            raise ValidationError(
                _("The rows could not be saved: %(error)s") % {"error": _explain(error)}
            ) from error


def _explain(error: IntegrityError) -> str:
    if isinstance(error, ProtectedError):
        return _("some rows already have results.")
    text = str(error)
    if "step weights" in text:
        return _("the step weights of the activity must add up to 100.")
    if "activityunit_once_per_activity" in text:
        return _("a unit is listed twice.")
    if "results" in text or "violates foreign key" in text:
        return _("some rows already have results.")
    return _("a rule of the data was broken.")


def plan_grid_save(*, by, activity: Activity, grid: dict) -> None:
    """Save the whole plan grid: grid maps (activity unit id, month) to (quantity, spending)."""
    with transaction.atomic():
        _require(by, access.CHANGE, activity.project)
        unit_ids = set(ActivityUnit.objects.filter(activity=activity).values_list("pk", flat=True))
        if any(au_id not in unit_ids for au_id, _month in grid):
            raise PermissionDenied
        MonthlyPlan.objects.bulk_create(
            [
                MonthlyPlan(activity_unit_id=au_id, month=month, quantity=quantity, spending=spending)
                for (au_id, month), (quantity, spending) in sorted(grid.items())
            ],
            update_conflicts=True,
            unique_fields=["activity_unit", "month"],
            update_fields=["quantity", "spending"],
        )


def budget_grid_save(*, by, activity: Activity, grid: dict) -> None:
    """Save allocations: grid maps (activity unit id, category, carried over) to an amount (0 removes)."""
    with transaction.atomic():
        _require(by, access.CHANGE, activity.project)
        unit_ids = set(ActivityUnit.objects.filter(activity=activity).values_list("pk", flat=True))
        if any(key[0] not in unit_ids for key in grid):
            raise PermissionDenied
        keep = [
            BudgetAllocation(activity_unit_id=au_id, category=category, carried_over=carried, amount=amount)
            for (au_id, category, carried), amount in sorted(grid.items())
            if amount
        ]
        BudgetAllocation.objects.bulk_create(
            keep,
            update_conflicts=True,
            unique_fields=["activity_unit", "category", "carried_over"],
            update_fields=["amount"],
        )
        for (au_id, category, carried), amount in grid.items():
            if not amount:
                BudgetAllocation.objects.filter(
                    activity_unit_id=au_id, category=category, carried_over=carried
                ).delete()


def project_copy_to_next_year(*, by, project: Project) -> Project:
    """The project with its activities, units, steps and indicators in the next fiscal year.

    Plans, budgets and results stay behind: they belong to one year.
    """
    with transaction.atomic():
        _require(by, access.VIEW, project)
        copy = Project(
            fiscal_year=project.fiscal_year + 1,
            funding_source=project.funding_source,
            code=project.code,
            name=project.name,
            owner_unit_id=project.owner_unit_id,
            strategy=project.strategy,
            objective=project.objective,
            status=Project.Status.DRAFT,
        )
        if Project.objects.filter(fiscal_year=copy.fiscal_year, code=copy.code).exists():
            raise ValidationError(
                _("Fiscal year %(fy)s already has a project with code %(code)s.")
                % {"fy": copy.fiscal_year, "code": copy.code}
            )
        copy.full_clean()
        copy.save()
        _require(by, access.CHANGE, copy)
        for activity in project.activities.prefetch_related("units", "steps", "indicators"):
            new_activity = Activity.objects.create(
                project=copy, order=activity.order, name=activity.name, description=activity.description
            )
            ActivityUnit.objects.bulk_create(
                ActivityUnit(
                    activity=new_activity,
                    unit_id=au.unit_id,
                    is_executing=au.is_executing,
                    is_budget_receiving=au.is_budget_receiving,
                    output_unit=au.output_unit,
                )
                for au in activity.units.all()
            )
            Step.objects.bulk_create(
                Step(activity=new_activity, order=s.order, name=s.name, weight=s.weight)
                for s in activity.steps.all()
            )
            Indicator.objects.bulk_create(
                Indicator(
                    activity=new_activity, name=i.name, unit_of_measure=i.unit_of_measure, target=i.target
                )
                for i in activity.indicators.all()
            )
    return copy


def indicator_targets_save(*, by, activity: Activity, grid: dict) -> None:
    """Save per-unit targets: grid maps (indicator id, activity unit id) to a target, or None to remove."""
    with transaction.atomic():
        _require(by, access.CHANGE, activity.project)
        indicators = set(Indicator.objects.filter(activity=activity).values_list("pk", flat=True))
        units = set(ActivityUnit.objects.filter(activity=activity).values_list("pk", flat=True))
        if any(i not in indicators or u not in units for i, u in grid):
            raise PermissionDenied
        for (indicator_id, unit_id), target in grid.items():
            if target is None:
                IndicatorTarget.objects.filter(indicator_id=indicator_id, activity_unit_id=unit_id).delete()
            else:
                IndicatorTarget.objects.update_or_create(
                    indicator_id=indicator_id, activity_unit_id=unit_id, defaults={"target": target}
                )
