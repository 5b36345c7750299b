from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from accounts import access
from accounts.access import section_required
from accounts.models import OrgUnit, Province
from progress import completeness, outliers
from progress.models import AssignmentFigures
from projects.models import ActivityUnit, Project
from reports import dashboards, exports, selectors, services, workload
from reports.forms import DashboardFilterForm, TargetsForm, WorkloadFilterForm
from reports.models import DisbursementTargets, PreparedExport
from reports.tables import workbook
from tracking.caching import cached_html
from tracking.outliers import CheckForm
from tracking.queryparams import FISCAL_YEAR_MAX, FISCAL_YEAR_MIN, fiscal_year_param, month_param
from tracking.thaicalendar import current_fiscal_year, fiscal_months
from tracking.xlsx import XLSX_CONTENT_TYPE, content_disposition, download_names
from workload.selectors import figures_version

reports_page = section_required("reports")
TITLES = {
    "budget": gettext_lazy("Budget disbursement dashboard"),
    "performance": gettext_lazy("Performance dashboard"),
}

# Export file names: short, with the fiscal year and the month named (tracking.xlsx.download_names).
FILE_TITLES = {
    "budget": gettext_lazy("Budget disbursement"),
    "performance": gettext_lazy("Performance"),
}


def _require(allowed: bool):
    if not allowed:
        raise PermissionDenied


@reports_page
def index(request):
    user = request.user
    return render(
        request,
        "reports/index.html",
        {
            "alro": access.may_read_alro_reports(user),
            "dla": access.may_read_dla_reports(user),
            "targets": access.may_set_disbursement_targets(user),
            "completeness": _completeness_link(user),
        },
    )


def _completeness_link(user) -> str | None:
    """Where this user follows the monthly reports: the national page, else their province's
    grid, else their unit's, if any of it is in their scope."""
    if not access.may_read_alro_reports(user):
        return None
    if access.may_read_national_completeness(user):
        return reverse("reports:completeness")
    unit = getattr(user, "org_unit", None)
    scoped = _scoped_assignments(user)
    if unit is not None and unit.province_id and scoped.filter(unit__province_id=unit.province_id).exists():
        return reverse("reports:completeness_province", args=[unit.province.code])
    if unit is not None and scoped.filter(unit=unit).exists():
        return reverse("reports:completeness_unit", args=[unit.pk])
    return None


def _dashboard(request, *, name, build, template, as_xlsx):
    _require(access.may_read_alro_reports(request.user))
    form = DashboardFilterForm(request.GET, user=request.user)
    filters = form.filters()
    if as_xlsx:
        context = build(request.user, filters)
        month = fiscal_months(filters.fiscal_year)[filters.month - 1]
        extra = ""
        if filters.official is not None:
            # Lazy, so that the English fallback name says it in English.
            extra = format_lazy("{}{}", gettext_lazy("official-revision"), filters.official.revision)
        return workbook(
            download_names(FILE_TITLES[name], filters.fiscal_year, month, extra=extra),
            [*context["tables"], *([context["changes"]] if context["changes"] else [])],
        )
    may_set_targets = access.may_set_disbursement_targets(request.user)
    fy = filters.fiscal_year
    parts = (
        name,
        sorted(filters.as_query().items()),
        sorted((field, list(errors)) for field, errors in form.errors.items()),
        access.scope_key(request.user, "progress.assignmentfigures"),
        may_set_targets,
        form.figures_version,
        filters.official.pk if filters.official else None,  # a new revision is a new record
        DisbursementTargets.objects.filter(fiscal_year=fy).values_list("updated_at", flat=True).first(),
    )

    def context():
        query = urlencode(filters.as_query())
        everything = access.sees_all_alro_figures(request.user)
        return {
            **build(request.user, filters),
            "form": form,
            "filters": filters,
            "crumbs": dashboards.breadcrumbs(f"reports:{name}", filters, everything=everything),
            "xlsx_url": f"{reverse(f'reports:{name}_xlsx')}?{query}",
            "other_url": dashboards.dashboard_url(
                "reports:performance" if name == "budget" else "reports:budget", filters
            ),
            "may_set_targets": may_set_targets,
        }

    return render(
        request,
        "reports/cached_page.html",
        {"body": cached_html(parts, template, context), "title": TITLES[name], "filters": filters},
    )


@reports_page
def budget(request, as_xlsx=False):
    return _dashboard(
        request, name="budget", build=dashboards.budget, template="reports/_budget.html", as_xlsx=as_xlsx
    )


@reports_page
def performance(request, as_xlsx=False):
    return _dashboard(
        request,
        name="performance",
        build=dashboards.performance,
        template="reports/_performance.html",
        as_xlsx=as_xlsx,
    )


@reports_page
def assignment(request, pk, as_xlsx=False):
    """One assigned unit (activity × unit), month by month: the rows behind every dashboard figure."""
    _require(access.may_read_alro_reports(request.user))
    month = month_param(request)
    figures = get_object_or_404(
        AssignmentFigures.objects.visible_to(request.user).for_drill_down(month), pk=pk
    )
    table = dashboards.months_table(figures, month)
    if as_xlsx:
        names = download_names(
            gettext_lazy("Assigned unit"),
            figures.fiscal_year,
            fiscal_months(figures.fiscal_year)[month - 1],
            extra=f"{figures.project.code}-{figures.unit.code}",
        )
        return workbook(names, [table])
    filters = selectors.Filters(fiscal_year=figures.fiscal_year, month=month, project=figures.project)
    progress_url = None
    if "progress" in access.sections(request.user):
        progress_url = reverse("progress:project", args=[figures.project_id])
    return render(
        request,
        "reports/assignment.html",
        {
            "figures": figures,
            "flags": outliers.month_flags(figures, month),
            "check_action": f"{reverse('reports:assignment_check', args=[pk])}?month={month}",
            "may_check": access.may_check_results(request.user, figures.activity_unit),
            "check_form": CheckForm(),
            "table": table,
            "month_label": fiscal_months(figures.fiscal_year)[month - 1].label,
            "month": month,
            "back_budget": dashboards.dashboard_url("reports:budget", filters),
            "back_performance": dashboards.dashboard_url("reports:performance", filters),
            "xlsx_url": f"{request.path.rstrip('/')}.xlsx?month={month}",
            "progress_url": progress_url,
        },
    )


@reports_page
@require_POST
def assignment_check(request, pk):
    """Mark a flagged result of the month as checked, with a note: part of the month's review."""
    _require(access.may_read_alro_reports(request.user))
    figures = get_object_or_404(
        AssignmentFigures.objects.visible_to(request.user).select_related("unit", "activity_unit"), pk=pk
    )
    _require(access.may_check_results(request.user, figures.activity_unit))
    month = month_param(request)
    form = CheckForm(request.POST)
    if form.is_valid():
        try:
            outliers.result_check_save(figures=figures, month=month, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Marked as checked."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect(f"{reverse('reports:assignment', args=[pk])}?month={month}#flags")


@reports_page
def workload_report(request, as_xlsx=False):
    _require(access.may_read_dla_reports(request.user))
    form = WorkloadFilterForm(request.GET, user=request.user)
    questionnaire, province = form.choice()
    if as_xlsx:
        if questionnaire is None:
            raise Http404
        tables = workload.report(request.user, questionnaire, province)["tables"]
        return workbook(download_names(gettext_lazy("Workload report"), questionnaire.fiscal_year), tables)
    query = {"fy": questionnaire and questionnaire.fiscal_year, "province": province and province.code}
    query = urlencode({key: value for key, value in query.items() if value})

    def context():
        report = workload.report(request.user, questionnaire, province) if questionnaire else {"tables": []}
        return {**report, "form": form, "questionnaire": questionnaire, "province": province,
                "xlsx_url": f"{reverse('reports:workload_xlsx')}?{query}"}  # fmt: skip

    parts = (
        "dla-reports",
        query,
        sorted((field, list(errors)) for field, errors in form.errors.items()),
        repr(access.dla_report_scope(request.user)),
        figures_version(questionnaire) if questionnaire else None,
    )
    return render(
        request,
        "reports/cached_page.html",
        {
            "body": cached_html(parts, "reports/_workload.html", context),
            "title": _("District workload reports"),
            "filters": None,
        },
    )


@reports_page
def targets(request):
    _require(access.may_read_alro_reports(request.user))
    return render(
        request,
        "reports/targets.html",
        {
            "rows": DisbursementTargets.objects.select_related("updated_by"),
            "may_set": access.may_set_disbursement_targets(request.user),
            "current": current_fiscal_year(),
        },
    )


@reports_page
def targets_edit(request, fy):
    _require(access.may_set_disbursement_targets(request.user))
    if not FISCAL_YEAR_MIN <= fy <= FISCAL_YEAR_MAX:
        raise Http404
    existing = DisbursementTargets.objects.filter(fiscal_year=fy).first()
    form = TargetsForm(request.POST or None, instance=existing)
    if request.method == "POST" and form.is_valid():
        services.targets_save(by=request.user, fiscal_year=fy, values=form.cleaned_data)
        messages.success(request, _("The targets of fiscal year %(fy)s are saved.") % {"fy": fy})
        return redirect("reports:targets")
    return render(request, "reports/targets_form.html", {"form": form, "fy": fy, "existing": existing})


# --- completeness of the monthly reports -------------------------------------------------------


def _completeness_grid(request, *, title, assignments, fy, context=None):
    months, rows = completeness.grid_rows(assignments, fy)
    return render(
        request,
        "reports/completeness_grid.html",
        {"title": title, "fy": fy, "months": months, "rows": rows, **(context or {})},
    )


def _scoped_assignments(user):
    return ActivityUnit.objects.filter(access.completeness_scope(user))


@reports_page
def completeness_project(request, pk):
    """Every assigned unit of one project, month by month (404 for a project the user cannot see)."""
    _require(access.may_read_alro_reports(request.user))
    project = get_object_or_404(Project.objects.visible_to(request.user), pk=pk)
    return _completeness_grid(
        request,
        title=_("Monthly reports of %(project)s") % {"project": project},
        assignments=ActivityUnit.objects.filter(activity__project=project),
        fy=project.fiscal_year,
        context={"project": project},
    )


@reports_page
def completeness_unit(request, pk):
    """One unit's assignments of a fiscal year (404 for a unit outside the user's scope)."""
    _require(access.may_read_alro_reports(request.user))
    unit = get_object_or_404(OrgUnit.objects.filter(agency="alro"), pk=pk)
    fy = fiscal_year_param(request)
    scoped = _scoped_assignments(request.user).filter(unit=unit)
    if not scoped.exists():
        raise Http404
    return _completeness_grid(
        request,
        title=_("Monthly reports of %(unit)s") % {"unit": unit.name_th},
        assignments=scoped.expected_to_report().filter(activity__project__fiscal_year=fy),
        fy=fy,
        context={"unit": unit, "years": True},
    )


@reports_page
def completeness_province(request, code):
    """The assignments of a province's units in a fiscal year (404 outside the user's scope)."""
    _require(access.may_read_alro_reports(request.user))
    province = get_object_or_404(Province, code=code)
    fy = fiscal_year_param(request)
    scoped = _scoped_assignments(request.user).filter(unit__province=province, unit__agency="alro")
    if not scoped.exists():
        raise Http404
    return _completeness_grid(
        request,
        title=_("Monthly reports in %(province)s") % {"province": province.name_th},
        assignments=scoped.expected_to_report().filter(activity__project__fiscal_year=fy),
        fy=fy,
        context={"province": province, "years": True, "show_unit_links": True},
    )


@reports_page
def completeness_national(request):
    """Per province and bureau, how many assignments handed each month in on time, late or not."""
    _require(access.may_read_national_completeness(request.user))
    fy = fiscal_year_param(request)
    assignments = ActivityUnit.objects.expected_to_report().filter(activity__project__fiscal_year=fy)
    months, provinces, bureaus, total = completeness.national(assignments, fy)
    return render(
        request,
        "reports/completeness_national.html",
        {
            "fy": fy,
            "months": months,
            "provinces": provinces,
            "bureaus": bureaus,
            "total": total,
            "may_set_due_day": access.may_close_months(request.user),
        },
    )


# --- exports prepared in the background (reports.exports) --------------------------------------


@require_POST
@reports_page
def export_start(request, kind):
    spec = exports.kind_for(kind)
    _require(spec.allowed(request.user))
    params = spec.params(request.user, request.POST)
    job = exports.prepared_export_start(by=request.user, kind=kind, params=params)
    url = reverse("reports:export", args=[job.pk])
    # The button is in cached pages and posts through htmx: the browser goes to the job's page.
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


@reports_page
def export(request, pk):
    """The job's page; htmx asks again for its partial every second until the file is ready."""
    job = get_object_or_404(PreparedExport.objects.visible_to(request.user), pk=pk)
    spec = exports.kind_for(job.kind)
    context = {
        "job": job,
        "description": spec.describe(job.params),
        "back_url": spec.back(job.params),
        "expired": job.is_expired(),
        "failed": job.status == PreparedExport.Status.FAILED or job.is_stuck(),
    }
    template = "reports/_export.html" if request.htmx else "reports/export.html"
    return render(request, template, context)


@reports_page
def export_file(request, pk):
    """The prepared file, to its requester only, until it expires (then 404 like another's file)."""
    job = get_object_or_404(
        PreparedExport.objects.visible_to(request.user), pk=pk, status=PreparedExport.Status.READY
    )
    if job.is_expired():
        raise Http404
    response = FileResponse(job.file.open("rb"), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition(job.filename, job.fallback)
    return response
