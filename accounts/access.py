"""Who may do what to which rows: the one place these rules live.

Two questions, for every model that registers a rule here:

* ``restrict(queryset, user, action)``: the rows of the queryset this user
  may ACTION, as a SQL filter computed from the user's roles, unit, province
  and money sources (plus explicit django-guardian grants);
* ``can(user, action, obj)``: may this user ACTION this one row.

Models expose the first as ``Model.objects.visible_to(user, action)``
through ``accounts.querysets.RestrictedQuerySet``. Views load rows through it, so a row of
another unit or province is a 404 and a visible but unchangeable row a 403;
form choice fields are narrowed with the same call. Views never re-implement
these rules.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.db.models.functions import Cast

from accounts.models import FundingSource
from accounts.roles import PROVINCE_GRANTABLE_ROLES, ROLE_FUNDING_SOURCES, Role

VIEW, ADD, CHANGE, DELETE = "view", "add", "change", "delete"
CONFIRM, REOPEN = "confirm", "reopen"
ACTIONS = (VIEW, ADD, CHANGE, DELETE, CONFIRM, REOPEN)

NOTHING = Q(pk__in=[])
EVERYTHING = Q()

Rule = Callable[["object", str], Q]
_rules: dict[str, Rule] = {}
# Models whose rows are never granted one by one (summaries): their rule alone decides.
_without_grants: set[str] = set()


def rule(model_label: str, *, grants: bool = True):
    """Register the Q-builder that answers "which rows" for one model."""

    def register(func: Rule) -> Rule:
        _rules[model_label.lower()] = func
        if not grants:
            _without_grants.add(model_label.lower())
        return func

    return register


# --- facts about the user ---------------------------------------------------


# Not a role name (roles are codes without "#"): stands for "has per-object grants" in roles().
HAS_GRANTS = "#grants"


def _facts(user) -> frozenset[str]:
    """The user's group names, and HAS_GRANTS if any django-guardian grant exists: one query,
    cached on the user object for the request."""
    cached = getattr(user, "_role_codes", None)
    if cached is None:
        from guardian.models import UserObjectPermission

        names = user.groups.values_list("name", flat=True)
        grants = UserObjectPermission.objects.filter(user=user).values_list(
            models.Value(HAS_GRANTS, output_field=models.CharField())
        )[:1]
        cached = frozenset(names.union(grants, all=True))
        if user.is_superuser:
            cached |= {Role.SUPER_ADMIN}
        user._role_codes = cached
    return cached


def roles(user) -> frozenset[str]:
    """The user's role codes (cached on the user object for the request)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    return _facts(user) - {HAS_GRANTS}


def has_grants(user) -> bool:
    """Does anyone hold per-object grants for this user? Most never do, and their queries stay simple."""
    return getattr(user, "is_authenticated", False) and HAS_GRANTS in _facts(user)


def has_role(user, *wanted: str) -> bool:
    return bool(roles(user) & set(wanted))


def is_super_admin(user) -> bool:
    return has_role(user, Role.SUPER_ADMIN)


def province_id(user) -> int | None:
    unit = getattr(user, "org_unit", None)
    return unit.province_id if unit else None


# --- the two questions ------------------------------------------------------


def restrict(queryset: models.QuerySet, user, action: str = VIEW) -> models.QuerySet:
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    label = queryset.model._meta.label_lower
    try:
        build = _rules[label]
    except KeyError:
        raise LookupError(f"no access rule for {label}") from None
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return queryset.none()
    condition = build(user, action)
    if condition == EVERYTHING:
        # Q() | X is X in Django, so "everything" must not be combined.
        return queryset.all()
    if label in _without_grants or not has_grants(user):
        return queryset.filter(condition)
    return queryset.filter(condition | _guardian_grants(queryset.model, user, action))


def scope_key(user, model_label: str, action: str = VIEW) -> str | None:
    """A text that is the same for two users exactly when the rule gives them the same rows, to
    share what is cached of them; None when per-object grants give this user rows of their own."""
    label = model_label.lower()
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return "nothing"
    if label not in _without_grants and has_grants(user):
        return None
    return repr(_rules[label](user, action))


def can(user, action: str, obj: models.Model) -> bool:
    return restrict(type(obj)._default_manager.filter(pk=obj.pk), user, action).exists()


def _guardian_grants(model, user, action: str) -> Q:
    """Explicit per-object grants made with django-guardian (direct-FK tables where a model has them)."""
    from guardian.models import UserObjectPermission

    codename = f"{action}_{model._meta.model_name}"
    granted = UserObjectPermission.objects.filter(
        user=user,
        permission__codename=codename,
        content_type__app_label=model._meta.app_label,
        content_type__model=model._meta.model_name,
    ).values("object_pk")
    # object_pk is text in guardian's generic table.
    as_int = granted.annotate(pk_int=Cast("object_pk", models.BigIntegerField())).values("pk_int")
    return Q(pk__in=models.Subquery(as_int))


# --- rules for the accounts models -----------------------------------------


@rule("accounts.orgunit")
def _orgunit(user, action):
    # Unit names are reference data every signed-in user needs in forms.
    if action == VIEW:
        return EVERYTHING
    return EVERYTHING if is_super_admin(user) else NOTHING


@rule("accounts.user")
def _user(user, action):
    if is_super_admin(user):
        return EVERYTHING
    own = Q(pk=user.pk) if action in (VIEW, CHANGE) else NOTHING
    if has_role(user, Role.PROVINCE_SSO_ADMIN) and province_id(user) and action != DELETE:
        # A province's SSO admin manages the DLA accounts of that province only,
        # and never accounts that hold a role outside what it may grant.
        in_province = Q(org_unit__agency="dla", org_unit__province_id=province_id(user))
        outside_roles = Q(groups__name__in=[r for r in Role.values if r not in PROVINCE_GRANTABLE_ROLES])
        managed = in_province & ~Q(pk__in=_users_with(outside_roles)) & Q(is_superuser=False)
        return own | managed
    return own


def _users_with(condition: Q):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(condition).values("pk")


@rule("accounts.accessrequest")
def _accessrequest(user, action):
    if is_super_admin(user):
        return EVERYTHING if action != DELETE else NOTHING
    if has_role(user, Role.PROVINCE_SSO_ADMIN) and province_id(user) and action in (VIEW, CHANGE):
        return Q(
            org_unit__agency="dla",
            org_unit__province_id=province_id(user),
            role__in=sorted(PROVINCE_GRANTABLE_ROLES),
        )
    return NOTHING


@rule("accounts.notification", grants=False)
def _notification(user, action):
    # Each person's own notifications only: reading and marking read; the services write them.
    return Q(recipient_id=user.pk) if action in (VIEW, CHANGE) else NOTHING


def district_recorders(office_ids) -> models.QuerySet:
    """Active accounts that record the workload of these DLA district offices."""
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(is_active=True, org_unit_id__in=list(office_ids), groups__name=Role.DISTRICT_RECORDER)
        .distinct()
    )


def province_confirmers(province_id) -> models.QuerySet:
    """Active accounts that confirm the district workload of this province."""
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            org_unit__agency="dla",
            org_unit__province_id=province_id,
            groups__name=Role.PROVINCE_CONFIRMER,
        )
        .distinct()
    )


# --- ALRO projects ---------------------------------------------------------------

# Each project model and the path from it to its project.
PROJECT_PATHS = {
    "projects.project": "",
    "projects.activity": "project__",
    "projects.activityunit": "activity__project__",
    "projects.step": "activity__project__",
    "projects.indicator": "activity__project__",
    "projects.monthlyplan": "activity_unit__activity__project__",
    "projects.budgetallocation": "activity_unit__activity__project__",
    "projects.indicatortarget": "indicator__activity__project__",
}


def project_scope(user, action, prefix=""):
    """Which projects (seen through ``prefix``) this user may ACTION.

    Super admins and Admin พ.ร.บ.+กองทุน manage all projects, Admin กองทุน those
    paid by the Land Reform Fund; admins and report viewers read all; central
    finance users read the projects of their money sources; bureau and
    provincial users read the projects with an activity assigned to their unit.
    """
    from django.apps import apps

    if action in (ADD, CHANGE, DELETE):
        sources = manageable_funding_sources(user)
        if len(sources) == len(FundingSource.values):
            return EVERYTHING
        return Q(**{f"{prefix}funding_source__in": sources}) if sources else NOTHING
    if action != VIEW:
        return NOTHING
    if has_role(user, Role.SUPER_ADMIN, Role.ADMIN_ALL, Role.ADMIN_FUND, Role.REPORT_VIEWER):
        return EVERYTHING
    condition = NOTHING
    sources = {str(s) for role in (Role.FINANCE_BUDGET, Role.FINANCE_FUND) if has_role(user, role)
               for s in ROLE_FUNDING_SOURCES[role]}  # fmt: skip
    if sources:
        condition |= Q(**{f"{prefix}funding_source__in": sorted(sources)})
    unit = getattr(user, "org_unit", None)
    if has_role(user, Role.BUREAU_USER, Role.PROVINCE_USER) and unit is not None:
        assignments = apps.get_model("projects", "ActivityUnit").objects.filter(unit_id=unit.pk)
        condition |= Q(**{f"{prefix}pk__in": assignments.values("activity__project_id")})
    if has_role(user, Role.BUREAU_USER) and unit is not None:
        # A bureau owns projects (it reviews their units' monthly reports) as well as receiving assignments.
        condition |= Q(**{f"{prefix}owner_unit_id": unit.pk})
    return condition


def may_manage_project(user, project) -> bool:
    """can(user, CHANGE, project) without a query: the same rule as project_scope, on the row in hand."""
    if has_grants(user):
        return can(user, CHANGE, project)
    return project.funding_source in manageable_funding_sources(user)


def manageable_funding_sources(user) -> list[str]:
    """The money sources whose projects this user may create, change and delete."""
    if has_role(user, Role.SUPER_ADMIN, Role.ADMIN_ALL):
        return list(FundingSource.values)
    if has_role(user, Role.ADMIN_FUND):
        return [FundingSource.LAND_REFORM_FUND.value]
    return []


def _register_project_rules():
    for label, prefix in PROJECT_PATHS.items():
        rule(label)(lambda user, action, prefix=prefix: project_scope(user, action, prefix))


_register_project_rules()


# --- ALRO progress reporting ----------------------------------------------------------

UNIT_REPORTED = ("performanceresult", "stepprogress", "indicatorresult", "photo")
FINANCE_REPORTED = ("disbursement", "transfer")
SHARED_REPORTED = ("procurement",)


def _finance_sources(user) -> list[str]:
    return sorted(
        {str(s) for role in (Role.FINANCE_BUDGET, Role.FINANCE_FUND) if has_role(user, role)
         for s in ROLE_FUNDING_SOURCES[role]}
    )  # fmt: skip


def progress_scope(user, action, model_name):
    """Rows of progress reporting, reached through their assigned unit.

    Everyone who sees a project sees its results. Bureau and provincial users
    report performance, indicators, photos and procurements of their own
    unit's assignments; central finance users report disbursements,
    procurements and transfers of their money source's projects.
    """
    if action == VIEW:
        return project_scope(user, VIEW, "activity_unit__activity__project__")
    if action not in (ADD, CHANGE, DELETE):
        return NOTHING
    if is_super_admin(user):
        return EVERYTHING
    condition = NOTHING
    unit = getattr(user, "org_unit", None)
    unit_user = unit is not None and has_role(user, Role.BUREAU_USER, Role.PROVINCE_USER)
    if model_name in UNIT_REPORTED + SHARED_REPORTED and unit_user:
        condition |= Q(activity_unit__unit_id=unit.pk)
    if model_name in FINANCE_REPORTED + SHARED_REPORTED:
        condition |= finance_scope(user, "activity_unit__")
    return condition


def finance_scope(user, prefix: str = "") -> Q:
    """Assigned units (seen through ``prefix``) whose disbursements, procurements and transfers this
    user records as a central finance user: those of their money sources' projects."""
    sources = _finance_sources(user)
    return Q(**{f"{prefix}activity__project__funding_source__in": sources}) if sources else NOTHING


for _name in UNIT_REPORTED + FINANCE_REPORTED + SHARED_REPORTED:
    rule(f"progress.{_name}")(lambda user, action, name=_name: progress_scope(user, action, name))


def may_report_on(user, model_name: str, activity_unit) -> bool:
    """May this user write a progress row of ``model_name`` for this assigned unit (existing or not)?

    The same rule as progress_scope, for a row that does not exist yet.
    """
    return report_rights(user)(model_name, activity_unit)


def report_rights(user):
    """may_report_on as a function of (model name, assigned unit), the user's roles read once.

    A project's page asks for every assigned unit and kind of result (hundreds of questions).
    """
    if is_super_admin(user):
        return lambda model_name, activity_unit: True
    unit = getattr(user, "org_unit", None)
    own_unit = unit.pk if unit is not None and has_role(user, Role.BUREAU_USER, Role.PROVINCE_USER) else None
    sources = frozenset(_finance_sources(user))

    def may(model_name: str, activity_unit) -> bool:
        if model_name in UNIT_REPORTED + SHARED_REPORTED and own_unit and activity_unit.unit_id == own_unit:
            return True
        return (
            model_name in FINANCE_REPORTED + SHARED_REPORTED
            and bool(sources)
            and activity_unit.activity.project.funding_source in sources
        )

    return may


# --- monthly reports: handed in by the unit, accepted or sent back by the project's owners ----------


def reporting_unit(user):
    """The unit a bureau or provincial user reports for (their own), else None."""
    unit = getattr(user, "org_unit", None)
    return unit if unit is not None and has_role(user, Role.BUREAU_USER, Role.PROVINCE_USER) else None


def province_sso_admins(province) -> Q:
    """The users (a Q on User) who grant the DLA roles of ``province``: its active SSO admins."""
    return Q(
        is_active=True,
        groups__name=Role.PROVINCE_SSO_ADMIN,
        org_unit__agency="dla",
        org_unit__province=province,
    )


def report_submit_scope(user, prefix: str = "") -> Q:
    """Assigned units (seen through ``prefix``) whose monthly report this user may hand in.

    The unit's own bureau or provincial users; a super admin may act for any unit.
    """
    if is_super_admin(user):
        return EVERYTHING
    unit = getattr(user, "org_unit", None)
    if unit is not None and has_role(user, Role.BUREAU_USER, Role.PROVINCE_USER):
        return Q(**{f"{prefix}unit_id": unit.pk})
    return NOTHING


def report_review_scope(user, prefix: str = "") -> Q:
    """Assigned units (seen through ``prefix``) whose monthly reports this user may accept or send back.

    The project's owners: the admins who manage its money source, and the
    users of the bureau that owns the project.
    """
    sources = manageable_funding_sources(user)
    if len(sources) == len(FundingSource.values):
        return EVERYTHING
    condition = Q(**{f"{prefix}activity__project__funding_source__in": sources}) if sources else NOTHING
    unit = getattr(user, "org_unit", None)
    if unit is not None and has_role(user, Role.BUREAU_USER):
        condition |= Q(**{f"{prefix}activity__project__owner_unit_id": unit.pk})
    return condition


@rule("progress.monthreport")
def _monthreport(user, action):
    """Whoever sees the project sees its units' monthly reports; they change only through the
    services below (hand in, accept, send back), never as rows."""
    if action == VIEW:
        return project_scope(user, VIEW, "activity_unit__activity__project__")
    return NOTHING


def _flag(condition: Q):
    """A Q on assigned units as a boolean column, so a list learns each row's answer in its own query."""
    if condition == EVERYTHING:
        return models.Value(True)
    if condition == NOTHING:
        return models.Value(False)
    return models.ExpressionWrapper(condition, output_field=models.BooleanField())


def report_rights_annotations(user, prefix: str = "") -> dict:
    """Annotations for a queryset of assigned units: ``may_submit_report`` and ``may_review_report``,
    from report_submit_scope and report_review_scope (the one definition of each)."""
    return {
        "may_submit_report": _flag(report_submit_scope(user, prefix)),
        "may_review_report": _flag(report_review_scope(user, prefix)),
    }


def may_submit_report(user, activity_unit) -> bool:
    """May this user hand in this assigned unit's monthly reports? (report_submit_scope, one row)."""
    from projects.models import ActivityUnit

    return ActivityUnit.objects.filter(report_submit_scope(user), pk=activity_unit.pk).exists()


def may_review_report(user, activity_unit) -> bool:
    """May this user accept or send back this assigned unit's monthly reports? (report_review_scope)."""
    from projects.models import ActivityUnit

    return ActivityUnit.objects.filter(report_review_scope(user), pk=activity_unit.pk).exists()


def may_check_results(user, activity_unit) -> bool:
    """May this user mark a flagged result of the assigned unit as checked? Whoever reviews its
    monthly reports (report_review_scope)."""
    return may_review_report(user, activity_unit)


def may_close_months(user) -> bool:
    """Closing a month locks it for every project of the year, of both money sources, so it is left to
    those who manage both: not ``admin_fund``, whose rights end at the Land Reform Fund's projects."""
    return has_role(user, Role.SUPER_ADMIN, Role.ADMIN_ALL)


def may_reopen_months(user) -> bool:
    """Reopening undoes an official record and starts a new revision: the system's super admin only."""
    return is_super_admin(user)


def completeness_scope(user, prefix: str = "") -> Q:
    """Assigned units (seen through ``prefix``) whose monthly reporting this user may follow in the
    completeness grids: those whose figures the dashboards show them (all for admins and report
    viewers, a money source's for its finance users, a provincial office's province, a bureau's
    own), and those whose reports they hand in or review."""
    if sees_all_alro_figures(user):
        return EVERYTHING
    condition = report_submit_scope(user, prefix) | report_review_scope(user, prefix)
    sources = _finance_sources(user)
    if sources:
        condition |= Q(**{f"{prefix}activity__project__funding_source__in": sources})
    unit = getattr(user, "org_unit", None)
    if unit is not None and unit.agency == "alro" and has_role(user, Role.PROVINCE_USER) and unit.province_id:
        condition |= Q(**{f"{prefix}unit__province_id": unit.province_id})
    return condition


def may_read_national_completeness(user) -> bool:
    """The national completeness page: those who read every unit's figures."""
    return sees_all_alro_figures(user)


def report_reminder_recipients() -> Q:
    """Users (a Q on User) reminded of their own unit's monthly reports: its active bureau and
    provincial users, the people who hand those reports in (report_submit_scope)."""
    return Q(is_active=True, groups__name__in=[Role.BUREAU_USER, Role.PROVINCE_USER])


# --- news ----------------------------------------------------------------------------------

NEWS_WRITERS = (
    Role.SUPER_ADMIN, Role.ADMIN_ALL, Role.ADMIN_FUND,
    Role.DLA_ADMIN, Role.PROVINCE_CONFIRMER, Role.DISTRICT_RECORDER,
)  # fmt: skip


def may_write_news(user) -> bool:
    return has_role(user, *NEWS_WRITERS) and getattr(user, "org_unit", None) is not None


def news_needs_approval(user) -> bool:
    """A district office's news goes to its province before it is published."""
    unit = getattr(user, "org_unit", None)
    return not is_super_admin(user) and unit is not None and unit.agency == "dla" and unit.kind == "district"


def _news_admin(user) -> Q:
    """The news of the agency this user administers (a super admin's is every item)."""
    condition = NOTHING
    if has_role(user, Role.DLA_ADMIN):
        condition |= Q(unit__agency="dla")
    if has_role(user, Role.ADMIN_ALL, Role.ADMIN_FUND):
        condition |= Q(unit__agency="alro")
    return condition


def _news_publisher(user) -> Q:
    """Published items this user answers for: those they approved, those they published
    themselves without an approval, and those of the agency they administer."""
    approved = Q(decided_by_id=user.pk) | Q(decided_by__isnull=True, author_id=user.pk)
    return Q(status="published") & (approved | _news_admin(user))


@rule("news.news")
def _news(user, action):
    if is_super_admin(user):
        return EVERYTHING
    own = Q(author_id=user.pk)
    if action == VIEW:
        condition = Q(status="published") | own
        # A draft is its author's until it is sent; the approvers and admins see the rest.
        sent = ~Q(status="draft")
        if has_role(user, Role.PROVINCE_CONFIRMER) and province_id(user):
            condition |= sent & Q(unit__agency="dla", unit__province_id=province_id(user))
        return condition | (sent & _news_admin(user))
    if action == CHANGE:
        # Drafts and items sent back by their author; published items (corrections) by whoever
        # published or approved them, and by the agency's admins.
        return (own & Q(status__in=["draft", "rejected"])) | _news_publisher(user)
    if action == DELETE:
        # Authors throw away their own drafts; the agency's admins may delete any item.
        return (own & Q(status="draft")) | _news_admin(user)
    if action == CONFIRM and has_role(user, Role.PROVINCE_CONFIRMER) and province_id(user):
        return Q(
            status="pending", unit__agency="dla", unit__kind="district", unit__province_id=province_id(user)
        )
    return NOTHING


def may_approve_news(user) -> bool:
    """Province confirmers decide on their districts' news (a super admin on any)."""
    return has_role(user, Role.PROVINCE_CONFIRMER, Role.SUPER_ADMIN)


def may_archive_news(user, news) -> bool:
    """Take a published item off the public list: its author, or whoever may correct it (its
    publisher or approver, an admin of its agency)."""
    return news.status == "published" and (news.author_id == user.pk or can(user, CHANGE, news))


# --- the coordination centre's registry and pages -------------------------------------------


@rule("workload.staffmember")
def _staffmember(user, action):
    if action == VIEW or has_role(user, Role.SUPER_ADMIN, Role.DLA_ADMIN):
        return EVERYTHING
    condition = Q(user_id=user.pk) if action == CHANGE else NOTHING
    if has_role(user, Role.PROVINCE_SSO_ADMIN) and province_id(user):
        condition |= Q(province_id=province_id(user))
    return condition


def may_keep_public_pages(user) -> bool:
    """Toolkit links, FAQ and the registry import are kept by the DLA's central admins."""
    return has_role(user, Role.SUPER_ADMIN, Role.DLA_ADMIN)


# --- DLA workload -------------------------------------------------------------


@rule("workload.questionnaire")
def _questionnaire(user, action):
    if action == VIEW and has_role(user, *SECTION_ROLES["workload"]):
        return EVERYTHING
    if action in (ADD, CHANGE, DELETE) and has_role(user, Role.SUPER_ADMIN, Role.DLA_ADMIN):
        return EVERYTHING
    return NOTHING


@rule("workload.submission")
def _submission(user, action):
    """District offices record their own; provinces read and confirm theirs; the DLA reads all and reopens."""
    unit = getattr(user, "org_unit", None)
    if action == VIEW:
        if has_role(user, Role.SUPER_ADMIN, Role.DLA_ADMIN):
            return EVERYTHING
        condition = NOTHING
        if has_role(user, Role.PROVINCE_CONFIRMER) and province_id(user):
            condition |= Q(office__province_id=province_id(user))
        if has_role(user, Role.DISTRICT_RECORDER) and unit is not None:
            condition |= Q(office_id=unit.pk)
        return condition
    if action in (ADD, CHANGE, DELETE):
        # Recording is the district office's own work; nobody else types its answers.
        if has_role(user, Role.DISTRICT_RECORDER) and unit is not None and unit.kind == "district":
            return Q(office_id=unit.pk)
        return NOTHING
    if action == CONFIRM:
        if has_role(user, Role.PROVINCE_CONFIRMER) and province_id(user):
            return Q(office__province_id=province_id(user))
        return NOTHING
    if action == REOPEN:
        return EVERYTHING if may_reopen_submissions(user) else NOTHING
    return NOTHING


def recording_office(user):
    """The district office this user records for (a district recorder's own office), else None."""
    unit = getattr(user, "org_unit", None)
    if has_role(user, Role.DISTRICT_RECORDER) and unit is not None and unit.kind == "district":
        return unit
    return None


def confirming_province_id(user) -> int | None:
    """The province whose district offices this user confirms (a province confirmer's), else None."""
    return province_id(user) if has_role(user, Role.PROVINCE_CONFIRMER) else None


def may_confirm_in_province(user, province) -> bool:
    """Confirming district offices is the province's own confirmer's."""
    return confirming_province_id(user) == province.pk


def may_review_province(user, province) -> bool:
    """A province's review page: the DLA's central admins (and super admins) for every province, a
    province confirmer for their own."""
    return has_role(user, Role.SUPER_ADMIN, Role.DLA_ADMIN) or may_confirm_in_province(user, province)


def may_prepare_questionnaires(user) -> bool:
    """Preparing a year's questionnaire and reading the national answers are the DLA centre's."""
    return has_role(user, Role.SUPER_ADMIN, Role.DLA_ADMIN)


def may_add_staff(user, province=None) -> bool:
    """Adding to the staff registry: the DLA centre anywhere, a province's SSO admin in its province
    (``province`` None: in some province)."""
    if has_role(user, Role.SUPER_ADMIN, Role.DLA_ADMIN):
        return True
    return has_role(user, Role.PROVINCE_SSO_ADMIN) and (province is None or province_id(user) == province.pk)


def may_remind_districts(user) -> bool:
    """A province's confirmer reminds its district offices (of its own province: the page's scope)."""
    return has_role(user, Role.PROVINCE_CONFIRMER)


def may_correct_questions(user) -> bool:
    """Rewording a question of a questionnaire in use (a correction, a new version) is the DLA's."""
    return has_role(user, Role.DLA_ADMIN)


def may_reopen_submissions(user) -> bool:
    """The DLA's central admins reopen confirmed submissions, of any province, giving a reason."""
    return has_role(user, Role.DLA_ADMIN)


def may_check_answers(user, submission) -> bool:
    """Marking a district's flagged answer as checked is part of the province's review: whoever
    may confirm that district office."""
    return can(user, CONFIRM, submission)


def reviews_answers(user, submission) -> bool:
    """Is this user reviewing the district's answers (so shown their outlier flags)? The province
    that confirms it, and the DLA's central admins who may reopen it."""
    return may_reopen_submissions(user) or may_check_answers(user, submission)


def may_record(user, submission) -> bool:
    """can(user, CHANGE, submission) without a query: the district office's own recorder only."""
    if has_grants(user):
        return can(user, CHANGE, submission)
    unit = getattr(user, "org_unit", None)
    return (
        has_role(user, Role.DISTRICT_RECORDER)
        and unit is not None
        and unit.kind == "district"
        and submission.office_id == unit.pk
    )


def may_review_access_requests(user) -> bool:
    return has_role(user, Role.SUPER_ADMIN, Role.PROVINCE_SSO_ADMIN)


# --- reports -----------------------------------------------------------------------

ALRO_REPORT_ROLES = (
    Role.SUPER_ADMIN, Role.ADMIN_ALL, Role.ADMIN_FUND, Role.FINANCE_BUDGET, Role.FINANCE_FUND,
    Role.BUREAU_USER, Role.PROVINCE_USER, Role.REPORT_VIEWER,
)  # fmt: skip
DLA_REPORT_ROLES = (
    Role.SUPER_ADMIN, Role.DLA_ADMIN, Role.REPORT_VIEWER, Role.PROVINCE_CONFIRMER, Role.DISTRICT_RECORDER,
)  # fmt: skip


def may_read_alro_reports(user) -> bool:
    return has_role(user, *ALRO_REPORT_ROLES)


def may_read_dla_reports(user) -> bool:
    return has_role(user, *DLA_REPORT_ROLES)


def may_export_workload_answers(user) -> bool:
    """Every answer of a year, all provinces (the national overview's workbook): the DLA centre."""
    return has_role(user, Role.SUPER_ADMIN, Role.DLA_ADMIN)


@rule("reports.preparedexport", grants=False)
def _prepared_export(user, action):
    """A file prepared in the background is its requester's alone, whatever their role."""
    return Q(user=user)


def may_set_disbursement_targets(user) -> bool:
    """The government's quarterly targets are entered by the planning admins."""
    return has_role(user, Role.SUPER_ADMIN, Role.ADMIN_ALL)


def sees_all_alro_figures(user) -> bool:
    return has_role(user, Role.SUPER_ADMIN, Role.ADMIN_ALL, Role.ADMIN_FUND, Role.REPORT_VIEWER)


@rule("progress.officialfigures", grants=False)
@rule("progress.assignmentfigures", grants=False)
def _assignment_figures(user, action):
    """Figures in the ALRO dashboards: admins and report viewers all; finance users their money
    source; a provincial office its province; a bureau its own unit and the projects it owns."""
    if action != VIEW:
        return NOTHING
    if sees_all_alro_figures(user):
        return EVERYTHING
    condition = NOTHING
    sources = _finance_sources(user)
    if sources:
        condition |= Q(funding_source__in=sources)
    unit = getattr(user, "org_unit", None)
    if unit is not None and unit.agency == "alro":
        if has_role(user, Role.PROVINCE_USER) and unit.province_id:
            condition |= Q(unit__province_id=unit.province_id)
        if has_role(user, Role.BUREAU_USER):
            condition |= Q(unit_id=unit.pk) | Q(project__owner_unit_id=unit.pk)
    return condition


def dla_report_scope(user) -> Q:
    """District submissions in the DLA reports: the DLA and report viewers all; a province its own;
    a district office itself."""
    if has_role(user, Role.SUPER_ADMIN, Role.DLA_ADMIN, Role.REPORT_VIEWER):
        return EVERYTHING
    condition = NOTHING
    unit = getattr(user, "org_unit", None)
    if has_role(user, Role.PROVINCE_CONFIRMER) and province_id(user):
        condition |= Q(office__province_id=province_id(user))
    if has_role(user, Role.DISTRICT_RECORDER) and unit is not None:
        condition |= Q(office_id=unit.pk)
    return condition


# --- managing accounts --------------------------------------------------------


def may_manage_users(user) -> bool:
    return has_role(user, Role.SUPER_ADMIN) or (
        has_role(user, Role.PROVINCE_SSO_ADMIN) and bool(province_id(user))
    )


def assignable_units(user):
    """Units in which this user may create or place accounts."""
    from accounts.models import OrgUnit

    units = OrgUnit.objects.filter(is_active=True)
    if is_super_admin(user):
        return units
    if has_role(user, Role.PROVINCE_SSO_ADMIN) and province_id(user):
        return units.filter(agency="dla", province_id=province_id(user))
    return units.none()


def grantable_roles(user) -> frozenset[str]:
    """Roles this user may grant or revoke."""
    if is_super_admin(user):
        return frozenset(Role.values)
    if has_role(user, Role.PROVINCE_SSO_ADMIN) and province_id(user):
        return PROVINCE_GRANTABLE_ROLES
    return frozenset()


# --- sections of the site ------------------------------------------------------

R = Role
SECTION_ROLES = {
    # ระบบจัดการโครงการ: admins set projects up; other ALRO roles read those that concern them.
    "projects": {
        R.SUPER_ADMIN, R.ADMIN_ALL, R.ADMIN_FUND, R.FINANCE_BUDGET, R.FINANCE_FUND,
        R.BUREAU_USER, R.PROVINCE_USER, R.REPORT_VIEWER,
    },
    # ระบบรายงานความก้าวหน้าโครงการ: admins, central finance and the budget-receiving units.
    "progress": {
        R.SUPER_ADMIN, R.ADMIN_ALL, R.ADMIN_FUND, R.FINANCE_BUDGET, R.FINANCE_FUND,
        R.BUREAU_USER, R.PROVINCE_USER,
    },
    # ระบบแสดงรายงาน: everyone with a role reads the reports of their scope.
    "reports": set(Role.values) - {R.PROVINCE_SSO_ADMIN},
    # Workload Tracking System of the DLA.
    "workload": {R.SUPER_ADMIN, R.DISTRICT_RECORDER, R.PROVINCE_CONFIRMER, R.DLA_ADMIN},
}  # fmt: skip


def sections(user) -> frozenset[str]:
    """The parts of the site this user may open (menus show exactly these)."""
    mine = roles(user)
    found = {name for name, allowed in SECTION_ROLES.items() if mine & allowed}
    if may_manage_users(user):
        found.add("users")
    if may_review_access_requests(user):
        found.add("access_requests")
    if may_use_admin(user):
        found.add("admin")
    return frozenset(found)


# --- each person's tasks on the home page (งานของฉัน) ---------------------------------------

UNIT_REPORTS = "unit_reports"  # months an ALRO unit has to hand in, reports sent back to it
FINANCE_MONTHS = "finance_months"  # months without disbursements for a finance user's money sources
REPORT_REVIEW = "report_review"  # handed-in monthly reports waiting for the project's owners
DISTRICT_RECORDING = "district_recording"  # a district office's aspects not complete yet
PROVINCE_REVIEW = "province_review"  # a province's district offices waiting for confirmation, or behind
QUESTIONNAIRE_SETUP = "questionnaire_setup"  # the DLA's questionnaire of the fiscal year, not made yet
ACCESS_REQUESTS = "access_requests"  # access requests waiting for a decision
NEWS_APPROVAL = "news_approval"  # district news waiting for the province


def task_lists(user) -> frozenset[str]:
    """Which task cards the home page shows this user.

    Each follows the rule of the work itself (who hands in, who reviews, who records, who
    confirms, who decides); the ALRO cards need an ALRO section and the DLA cards the DLA's,
    so a person of one agency never sees the other's.
    """
    found = set()
    mine = sections(user)
    unit = getattr(user, "org_unit", None)
    if "progress" in mine:
        if unit is not None and has_role(user, Role.BUREAU_USER, Role.PROVINCE_USER):
            found.add(UNIT_REPORTS)
        if _finance_sources(user):
            found.add(FINANCE_MONTHS)
        if report_review_scope(user) != NOTHING:
            found.add(REPORT_REVIEW)
    if "workload" in mine:
        if unit is not None and unit.kind == "district" and has_role(user, Role.DISTRICT_RECORDER):
            found.add(DISTRICT_RECORDING)
        if province_id(user) and has_role(user, Role.PROVINCE_CONFIRMER):
            found.add(PROVINCE_REVIEW)
        if has_role(user, Role.DLA_ADMIN):
            found.add(QUESTIONNAIRE_SETUP)
    if may_review_access_requests(user):
        found.add(ACCESS_REQUESTS)
    if may_approve_news(user):
        found.add(NEWS_APPROVAL)
    return frozenset(found)


def may_use_admin(user) -> bool:
    """Django's admin: for staff accounts of super admins and of the DLA's central admins (who
    reopen confirmed submissions there). Staff status alone opens nothing; what each sees inside
    is narrowed by its model's rules."""
    return bool(getattr(user, "is_staff", False)) and has_role(user, Role.SUPER_ADMIN, Role.DLA_ADMIN)


def section_required(name: str):
    """View decorator: 403 unless the user's roles open this section."""

    def decorate(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if name not in sections(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorate
