import hashlib
import io
import secrets

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import DatabaseError
from django.db.models import Max
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from pghistory.models import MiddlewareEvents

from accounts import access
from accounts.access import section_required
from projects import selectors, services
from projects.exports import project_workbook_response
from projects.forms import (
    ActivityForm,
    BudgetGridForm,
    ImportForm,
    IndicatorFormSet,
    IndicatorTargetGridForm,
    PlanGridForm,
    ProjectFilterForm,
    ProjectForm,
    StepsFormSet,
    UnitFormSet,
)
from projects.imports import ProjectImport
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
from tracking.history import object_history
from tracking.queryparams import fiscal_year_param
from tracking.rows import EditedMeanwhile, restamp
from tracking.thaicalendar import current_fiscal_year

projects_page = section_required("projects")


def _project(request, pk, action=access.VIEW) -> Project:
    """404 when the user may not see the project, 403 when they may see but not ACTION it."""
    project = get_object_or_404(Project.objects.visible_to(request.user).select_related("owner_unit"), pk=pk)
    if action != access.VIEW and not access.can(request.user, action, project):
        raise PermissionDenied
    return project


def _allowed_sources(user):
    return access.manageable_funding_sources(user)


def _may_change(user, project):
    return access.may_manage_project(user, project)


@projects_page
def index(request):
    form = ProjectFilterForm(request.GET or {"fy": current_fiscal_year()})
    filters = form.cleaned_data if form.is_valid() else {}
    projects = selectors.project_list(
        request.user,
        fy=filters.get("fy"),
        source=filters.get("source", ""),
        owner=filters.get("owner"),
        status=filters.get("status", ""),
        q=filters.get("q", ""),
    )
    page = Paginator(projects, 25).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "projects/index.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "may_create": bool(_allowed_sources(request.user)),
        },
    )


@projects_page
def detail(request, pk):
    try:
        project = selectors.project_detail(request.user, pk)
    except Project.DoesNotExist:
        raise Http404 from None
    return render(
        request,
        "projects/detail.html",
        {"project": project, "may_change": _may_change(request.user, project)},
    )


def _project_form(request, project):
    sources = _allowed_sources(request.user)
    if not sources:
        raise PermissionDenied
    if project:
        initial = {"edit_stamp": services.project_stamp(project)}
    else:
        initial = {"fiscal_year": current_fiscal_year(), "funding_source": sources[0]}
    form = ProjectForm(request.POST or None, instance=project, initial=initial, allowed_sources=sources)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            saved = services.project_save(
                by=request.user, project=project, fields=fields, stamp=form.cleaned_data["edit_stamp"]
            )
        except EditedMeanwhile as error:
            form.add_error(None, error)
            restamp(form, error.stamp)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Project saved."))
            return redirect("projects:detail", pk=saved.pk)
    return render(request, "projects/project_form.html", {"form": form, "project": project})


@projects_page
def create(request):
    return _project_form(request, None)


@projects_page
def edit(request, pk):
    return _project_form(request, _project(request, pk, access.CHANGE))


@projects_page
def delete(request, pk):
    project = _project(request, pk, access.DELETE)
    if request.method == "POST":
        try:
            services.project_delete(by=request.user, project=project)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("projects:detail", pk=pk)
        messages.success(request, _("Project deleted."))
        return redirect("projects:index")
    return render(request, "projects/confirm_delete.html", {"project": project, "thing": project})


@projects_page
@require_POST
def copy_next_year(request, pk):
    project = _project(request, pk, access.CHANGE)
    try:
        copy = services.project_copy_to_next_year(by=request.user, project=project)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("projects:detail", pk=pk)
    messages.success(request, _("Copied to fiscal year %(fy)s.") % {"fy": copy.fiscal_year})
    return redirect("projects:detail", pk=copy.pk)


# --- activities and their parts ----------------------------------------------------------


def _activity(request, pk, aid, action=access.CHANGE):
    project = _project(request, pk, action)
    return project, get_object_or_404(Activity, project=project, pk=aid)


@projects_page
def activity_edit(request, pk, aid=None):
    project = _project(request, pk, access.CHANGE)
    activity = get_object_or_404(Activity, project=project, pk=aid) if aid else None
    # After the last one: counting would reuse a number left by a deleted activity.
    initial = (
        None if activity else {"order": (project.activities.aggregate(last=Max("order"))["last"] or 0) + 1}
    )
    form = ActivityForm(request.POST or None, instance=activity, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_save(
                by=request.user, project=project, activity=activity, fields=form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Activity saved."))
            return redirect("projects:detail", pk=pk)
    return render(
        request, "projects/activity_form.html", {"form": form, "project": project, "activity": activity}
    )


@projects_page
def activity_delete(request, pk, aid):
    project, activity = _activity(request, pk, aid, access.DELETE)
    if request.method == "POST":
        try:
            services.activity_delete(by=request.user, activity=activity)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Activity deleted."))
        return redirect("projects:detail", pk=pk)
    return render(request, "projects/confirm_delete.html", {"project": project, "thing": activity})


FORMSETS = {
    "units": (UnitFormSet, "units", gettext_lazy("Assigned units")),
    "steps": (StepsFormSet, "steps", gettext_lazy("Steps")),
    "indicators": (IndicatorFormSet, "indicators", gettext_lazy("Indicators")),
}


@projects_page
def activity_rows(request, pk, aid, kind):
    if kind not in FORMSETS:
        raise Http404
    project, activity = _activity(request, pk, aid)
    formset_class, prefix, title = FORMSETS[kind]
    formset = formset_class(request.POST or None, instance=activity, prefix=prefix)
    if request.method == "POST" and formset.is_valid():
        try:
            services.formset_save(by=request.user, activity=activity, formset=formset)
        except ValidationError as error:
            formset._non_form_errors = formset.error_class(error.messages)
        else:
            messages.success(request, _("%(what)s saved.") % {"what": title})
            return redirect(reverse("projects:detail", args=[pk]) + f"#activity-{activity.pk}")
    return render(
        request,
        "projects/activity_rows.html",
        {"project": project, "activity": activity, "formset": formset, "title": title, "kind": kind},
    )


@projects_page
def indicator_targets(request, pk, aid):
    project, activity = _activity(request, pk, aid)
    indicators = list(activity.indicators.all())
    units = list(activity.units.select_related("unit").order_by("unit__name_sort"))
    targets = {
        (t.indicator_id, t.activity_unit_id): t.target
        for t in IndicatorTarget.objects.filter(indicator__activity=activity)
    }
    form = IndicatorTargetGridForm(
        request.POST or None, indicators=indicators, activity_units=units, targets=targets
    )
    if request.method == "POST" and form.is_valid():
        services.indicator_targets_save(by=request.user, activity=activity, grid=form.grid())
        messages.success(request, _("Targets by unit saved."))
        return redirect(reverse("projects:detail", args=[pk]) + f"#activity-{activity.pk}")
    return render(
        request,
        "projects/indicator_targets.html",
        {"project": project, "activity": activity, "form": form, "units": units},
    )


@projects_page
def activity_plan(request, pk, aid):
    project, activity = _activity(request, pk, aid)
    units = list(activity.units.select_related("unit").order_by("unit__name_sort"))
    plans = {
        (p.activity_unit_id, p.month): p for p in MonthlyPlan.objects.filter(activity_unit__activity=activity)
    }
    form = PlanGridForm(
        request.POST or None, activity_units=units, fiscal_year=project.fiscal_year, plans=plans
    )
    if request.method == "POST" and form.is_valid():
        services.plan_grid_save(by=request.user, activity=activity, grid=form.grid())
        messages.success(request, _("Plan saved."))
        return redirect(reverse("projects:detail", args=[pk]) + f"#activity-{activity.pk}")
    return render(
        request, "projects/activity_plan.html", {"project": project, "activity": activity, "form": form}
    )


@projects_page
def activity_budget(request, pk, aid):
    project, activity = _activity(request, pk, aid)
    units = list(activity.units.select_related("unit").order_by("unit__name_sort"))
    allocations = {
        (a.activity_unit_id, a.category, a.carried_over): a.amount
        for a in BudgetAllocation.objects.filter(activity_unit__activity=activity)
    }
    form = BudgetGridForm(request.POST or None, activity_units=units, allocations=allocations)
    if request.method == "POST" and form.is_valid():
        services.budget_grid_save(by=request.user, activity=activity, grid=form.grid())
        messages.success(request, _("Budget saved."))
        return redirect(reverse("projects:detail", args=[pk]) + f"#activity-{activity.pk}")
    return render(
        request, "projects/activity_budget.html", {"project": project, "activity": activity, "form": form}
    )


# --- spreadsheet round trip ----------------------------------------------------------------


@projects_page
def export(request):
    fy = fiscal_year_param(request)
    projects = Project.objects.visible_to(request.user).filter(fiscal_year=fy)
    return project_workbook_response(projects, fy)


@projects_page
def template(request):
    return project_workbook_response(Project.objects.none(), fiscal_year_param(request), blank=True)


def _import_path(token):
    if not token or not token.isalnum():
        raise Http404
    return settings.IMPORT_DIR / f"{token}.xlsx"


@projects_page
def import_upload(request):
    if not access.manageable_funding_sources(request.user):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        result = ProjectImport(request.user, io.BytesIO(data)).read()
        if not result.problems:
            token = secrets.token_hex(16)
            settings.IMPORT_DIR.mkdir(parents=True, exist_ok=True)
            _import_path(token).write_bytes(data)
            request.session["project_import"] = {"token": token, "sha256": hashlib.sha256(data).hexdigest()}
            return render(
                request,
                "projects/import_preview.html",
                {"result": result, "token": token, "name": upload.name},
            )
    return render(request, "projects/import.html", {"form": form, "result": result})


@projects_page
@require_POST
def import_apply(request):
    if not access.manageable_funding_sources(request.user):
        raise PermissionDenied
    pending = request.session.get("project_import") or {}
    token = request.POST.get("token", "")
    if pending.get("token") != token:
        messages.error(request, _("This import has expired; upload the file again."))
        return redirect("projects:import")
    # Claimed by renaming: of two clicks (or two tabs) on the same preview, one applies it; the
    # other finds nothing left to apply, so nothing is imported twice.
    path = _import_path(token).with_suffix(".applying")
    try:
        _import_path(token).rename(path)
        data = path.read_bytes()
    except FileNotFoundError:
        messages.error(request, _("This import has expired; upload the file again."))
        return redirect("projects:import")
    if hashlib.sha256(data).hexdigest() != pending.get("sha256"):
        raise PermissionDenied
    importer = ProjectImport(request.user, io.BytesIO(data))
    result = importer.read()
    if result.problems:
        path.unlink(missing_ok=True)
        return render(request, "projects/import.html", {"form": ImportForm(), "result": result})
    try:
        importer.apply()
    except (PermissionError, ValueError, DatabaseError):  # all rolled back: nothing was changed
        messages.error(request, _("The import was refused and nothing was changed."))
        return redirect("projects:import")
    finally:
        path.unlink(missing_ok=True)
        request.session.pop("project_import", None)
    messages.success(
        request,
        _("Import done: %(new)s new rows, %(changed)s changed rows.")
        % {"new": result.new_count, "changed": result.changed_count},
    )
    return redirect("projects:index")


@projects_page
def history(request, pk):
    project = _project(request, pk)
    return object_history(
        request,
        project,
        back=reverse("projects:detail", args=[pk]),
        crumbs=[(_("Project management"), reverse("projects:index"))],
    )


@projects_page
def activity_history(request, pk, aid):
    """The activity's own changes and those of its steps, indicators and assigned units."""
    project = _project(request, pk)
    activity = get_object_or_404(Activity, project=project, pk=aid)
    return object_history(
        request,
        activity,
        back=reverse("projects:detail", args=[pk]) + f"#activity-{aid}",
        crumbs=[
            (_("Project management"), reverse("projects:index")),
            (project.name, reverse("projects:detail", args=[pk])),
        ],
        events=MiddlewareEvents.objects.references(activity),
        describe={ActivityUnit: "unit", Step: "name", Indicator: "name"},
    )
