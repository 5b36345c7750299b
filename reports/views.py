from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts import access
from accounts.access import section_required
from progress import outliers
from progress.models import AssignmentFigures, FiguresVersion
from reports import dashboards, selectors, services, workload
from reports.forms import DashboardFilterForm, TargetsForm, WorkloadFilterForm
from reports.models import DisbursementTargets
from reports.tables import workbook
from tracking.caching import cached_html
from tracking.outliers import CheckForm
from tracking.queryparams import FISCAL_YEAR_MAX, FISCAL_YEAR_MIN, month_param
from tracking.thaicalendar import current_fiscal_year, fiscal_months
from tracking.xlsx import download_names
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
        },
    )


def _dashboard(request, *, name, build, template, as_xlsx):
    _require(access.may_read_alro_reports(request.user))
    form = DashboardFilterForm(request.GET, user=request.user)
    filters = form.filters()
    if as_xlsx:
        context = build(request.user, filters)
        month = fiscal_months(filters.fiscal_year)[filters.month - 1]
        return workbook(download_names(FILE_TITLES[name], filters.fiscal_year, month), context["tables"])
    may_set_targets = access.may_set_disbursement_targets(request.user)
    fy = filters.fiscal_year
    parts = (
        name,
        sorted(filters.as_query().items()),
        sorted((field, list(errors)) for field, errors in form.errors.items()),
        access.scope_key(request.user, "progress.assignmentfigures"),
        may_set_targets,
        FiguresVersion.objects.filter(fiscal_year=fy).values_list("version", flat=True).first(),
        DisbursementTargets.objects.filter(fiscal_year=fy).values_list("updated_at", flat=True).first(),
    )

    def render_body():
        query = urlencode(filters.as_query())
        everything = access.sees_all_alro_figures(request.user)
        return render_to_string(
            template,
            {
                **build(request.user, filters),
                "form": form,
                "filters": filters,
                "crumbs": dashboards.breadcrumbs(f"reports:{name}", filters, everything=everything),
                "xlsx_url": f"{reverse(f'reports:{name}_xlsx')}?{query}",
                "other_url": dashboards.dashboard_url(
                    "reports:performance" if name == "budget" else "reports:budget", filters
                ),
                "may_set_targets": may_set_targets,
            },
            request,
        )

    return render(
        request,
        "reports/cached_page.html",
        {"body": cached_html(parts, render_body), "title": TITLES[name], "filters": filters},
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
    figures = get_object_or_404(
        AssignmentFigures.objects.visible_to(request.user).select_related(
            "project", "activity", "unit", "activity_unit"
        ),
        pk=pk,
    )
    month = month_param(request)
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

    def render_body():
        context = workload.report(request.user, questionnaire, province) if questionnaire else {"tables": []}
        return render_to_string(
            "reports/_workload.html",
            {**context, "form": form, "questionnaire": questionnaire, "province": province,
             "xlsx_url": f"{reverse('reports:workload_xlsx')}?{query}"},
            request,
        )  # fmt: skip

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
        {"body": cached_html(parts, render_body), "title": _("District workload reports"), "filters": None},
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
