"""The twelve roles: eight of ALRO (slide "ระดับสิทธิ์การเข้าใช้งานระบบ") and four of the DLA.

A role is a Django group named by its code (created by migration). The role
says what kind of thing a user may touch; the user's unit, province and
money sources say which rows (see accounts.access).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Agency, FundingSource


class Role(models.TextChoices):
    SUPER_ADMIN = "super_admin", _("Super Admin")
    ADMIN_ALL = "admin_all", _("Admin, budget act and fund")
    ADMIN_FUND = "admin_fund", _("Admin, Land Reform Fund")
    FINANCE_BUDGET = "finance_budget", _("Central user, budget act")
    FINANCE_FUND = "finance_fund", _("Central user, Land Reform Fund")
    BUREAU_USER = "bureau_user", _("Central bureau user")
    PROVINCE_USER = "province_user", _("Provincial office user")
    REPORT_VIEWER = "report_viewer", _("Report viewer")
    DISTRICT_RECORDER = "district_recorder", _("District-level user")
    PROVINCE_CONFIRMER = "province_confirmer", _("Province-level user")
    PROVINCE_SSO_ADMIN = "province_sso_admin", _("Provincial SSO Admin")
    DLA_ADMIN = "dla_admin", _("DLA central admin")


ROLE_AGENCY = {
    Role.SUPER_ADMIN: Agency.ALRO,
    Role.ADMIN_ALL: Agency.ALRO,
    Role.ADMIN_FUND: Agency.ALRO,
    Role.FINANCE_BUDGET: Agency.ALRO,
    Role.FINANCE_FUND: Agency.ALRO,
    Role.BUREAU_USER: Agency.ALRO,
    Role.PROVINCE_USER: Agency.ALRO,
    Role.REPORT_VIEWER: Agency.ALRO,
    Role.DISTRICT_RECORDER: Agency.DLA,
    Role.PROVINCE_CONFIRMER: Agency.DLA,
    Role.PROVINCE_SSO_ADMIN: Agency.DLA,
    Role.DLA_ADMIN: Agency.DLA,
}

ROLE_DESCRIPTIONS = {
    Role.SUPER_ADMIN: _("Everything, all menus (ICT centre / monitoring and evaluation group)."),
    Role.ADMIN_ALL: _("Manages projects paid by the budget act and by the Land Reform Fund."),
    Role.ADMIN_FUND: _("Manages projects paid by the Land Reform Fund."),
    Role.FINANCE_BUDGET: _("Disbursements, procurements, transfers and returns of budget-act projects."),
    Role.FINANCE_FUND: _("Disbursements, procurements, transfers and returns of Land Reform Fund projects."),
    Role.BUREAU_USER: _("Performance, indicator and procurement results and photos of its own bureau."),
    Role.PROVINCE_USER: _(
        "Performance, indicator and procurement results and photos of its own provincial office."
    ),
    Role.REPORT_VIEWER: _("Reads reports only."),
    Role.DISTRICT_RECORDER: _("Records the workload of one district."),
    Role.PROVINCE_CONFIRMER: _("Reviews and confirms the districts of its province."),
    Role.PROVINCE_SSO_ADMIN: _("Manages the accounts of its province."),
    Role.DLA_ADMIN: _("Questionnaires, recording windows and national reports of the DLA."),
}

# Roles whose rows are scoped to the user's own unit or province.
UNIT_SCOPED_ROLES = frozenset({Role.BUREAU_USER, Role.PROVINCE_USER, Role.DISTRICT_RECORDER})
PROVINCE_SCOPED_ROLES = frozenset({Role.PROVINCE_CONFIRMER, Role.PROVINCE_SSO_ADMIN})
# Roles a province's SSO admin may grant or revoke, within that province only.
PROVINCE_GRANTABLE_ROLES = frozenset({Role.DISTRICT_RECORDER, Role.PROVINCE_CONFIRMER})
# The money sources each ALRO admin or finance role serves.
ROLE_FUNDING_SOURCES = {
    Role.ADMIN_ALL: [FundingSource.BUDGET_ACT, FundingSource.LAND_REFORM_FUND],
    Role.ADMIN_FUND: [FundingSource.LAND_REFORM_FUND],
    Role.FINANCE_BUDGET: [FundingSource.BUDGET_ACT],
    Role.FINANCE_FUND: [FundingSource.LAND_REFORM_FUND],
}

# Model permissions each role's group carries, as "app_label.codename".
# Later apps add theirs in their own migrations.
ROLE_PERMISSIONS = {
    Role.SUPER_ADMIN: [
        "accounts.view_user", "accounts.add_user", "accounts.change_user", "accounts.delete_user",
        "accounts.view_orgunit", "accounts.add_orgunit", "accounts.change_orgunit", "accounts.delete_orgunit",
        "accounts.view_province", "accounts.view_district",
        "auth.view_group",
    ],
    Role.PROVINCE_SSO_ADMIN: [
        "accounts.view_user", "accounts.add_user", "accounts.change_user",
        "accounts.view_orgunit",
    ],
    # In the admin, DLA admins read submissions and reopen confirmed ones (access.may_reopen_submissions).
    Role.DLA_ADMIN: [
        "accounts.view_orgunit", "accounts.view_province", "accounts.view_district",
        "workload.view_submission", "workload.view_reopening",
    ],
}  # fmt: skip

# Which kind of unit each role's holder must belong to (None: any unit of the agency).
ROLE_UNIT_KINDS = {
    Role.BUREAU_USER: {"central"},
    Role.PROVINCE_USER: {"provincial"},
    Role.DISTRICT_RECORDER: {"district"},
    Role.PROVINCE_CONFIRMER: {"provincial"},
    Role.PROVINCE_SSO_ADMIN: {"provincial"},
    Role.DLA_ADMIN: {"agency", "central"},
}


def role_fits_unit(role: str, unit) -> bool:
    """A role may only be held by a member of a unit of its agency and kind."""
    if role not in ROLE_AGENCY or unit is None:
        return False
    if ROLE_AGENCY[role] != unit.agency:
        return False
    kinds = ROLE_UNIT_KINDS.get(role)
    return kinds is None or unit.kind in kinds
