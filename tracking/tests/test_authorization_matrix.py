"""Every URL of the project, opened by every role and by users of another unit or province.

The URL list comes from the URL resolver, so a new view cannot be forgotten: a
pattern without a line in ACCESS fails ``test_every_url_is_declared``. For each
pattern the table says who may GET it and who may POST to it; everyone else
must be turned away — sent to sign in when anonymous, and when signed in with
exactly one code: 404 for those who do not see the row in the URL (another
unit's or province's; declared as the case's ``hidden``), 403 for everyone
else (a visible row they may not change, a page their roles do not open).
POSTs carry the case's form data (empty by default) and every request runs in
a transaction that is rolled back, so one case never changes the next.

The world is the demo data (``seed_demo``): one user per role, ``*_b`` twins in
a second province or bureau, and the rows each of them works on. The objects in
the URLs belong to the first of each pair (Chiang Mai, province 50, and the
bureau of the first bureau user), so the ``*_b`` users are the outsiders.

The admin site is declared as one rule: staff only (of the demo users, the super
admin and the DLA admin), every page of it, whatever models are registered.
"""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from progress.tests.data import flush_figures
from tracking.tests.routes import Route, all_routes
from tracking.thaicalendar import fiscal_months

ANON = "anonymous"
MEMBER = "member"  # signed in, with no role and no unit
ROLES = [
    "super_admin", "admin_all", "admin_fund", "finance_budget", "finance_fund", "bureau_user",
    "province_user", "report_viewer", "district_recorder", "province_confirmer",
    "province_sso_admin", "dla_admin",
]  # fmt: skip
TWINS = [
    "bureau_user_b",
    "province_user_b",
    "district_recorder_b",
    "province_confirmer_b",
    "province_sso_admin_b",
]
PERSONAS = [ANON, MEMBER, *ROLES, *TWINS]


def who(names: str) -> frozenset:
    """who("admin_all super_admin") — a set of personas, checked against the list above."""
    chosen = frozenset(names.split())
    unknown = chosen - set(PERSONAS)
    assert not unknown, f"unknown personas {unknown}"
    return chosen


EVERYONE = frozenset(PERSONAS)
SIGNED_IN = EVERYONE - {ANON}
NOBODY = frozenset()
ALRO_READERS = who(
    "super_admin admin_all admin_fund finance_budget finance_fund bureau_user bureau_user_b province_user "
    "province_user_b report_viewer"
)
ALRO_PLANNERS = who("super_admin admin_all admin_fund")
ALRO_REPORTERS = who(
    "super_admin admin_all admin_fund finance_budget finance_fund bureau_user bureau_user_b province_user "
    "province_user_b"
)
NEWS_WRITERS = who(
    "super_admin admin_all admin_fund dla_admin province_confirmer province_confirmer_b district_recorder "
    "district_recorder_b"
)
DLA_CENTRE = who("super_admin dla_admin")
# Those who read the district of Chiang Mai's submission: itself, its province, the centre.
DISTRICT_READERS = who("super_admin district_recorder province_confirmer dla_admin")


@dataclass(frozen=True)
class Case:
    """Who gets through a URL for GET and for POST.

    ``get``/``post``: the personas who get the page or a redirect that is not to sign in.
    ``get=None``: the URL only takes POST (GET may be 405 for those who pass sign-in);
    ``post=None``: a page that takes no form (POST may be 405, or the page again for
    those who may read it). ``public``: no sign-in needed. ``hidden``: the personas who
    do not see the URL's row, refused with 404; the others are refused with 403.
    ``refused``: what the others get when it is neither (allauth's social pages answer
    401 or send to sign in).
    """

    get: frozenset | None
    post: frozenset | None
    public: bool = False
    kwargs: Callable | None = None
    query: str = ""
    data: dict | Callable = field(default_factory=dict)  # or a function of the world
    hidden: frozenset = frozenset()
    refused: str = "deny"


def page(readers, **options) -> Case:
    return Case(get=frozenset(readers), post=None, **options)


def form(users, post=None, **options) -> Case:
    users = frozenset(users)
    return Case(get=users, post=users if post is None else frozenset(post), **options)


def action(users, **options) -> Case:
    return Case(get=None, post=frozenset(users), **options)


# --- the world -------------------------------------------------------------------------------


def _jpeg() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 120, 40)).save(buffer, format="JPEG")
    return SimpleUploadedFile("photo.jpg", buffer.getvalue(), content_type="image/jpeg")


def _pdf() -> SimpleUploadedFile:
    return SimpleUploadedFile("ประกาศ.pdf", b"%PDF-1.4\n%\xe2\xe3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")


class World:
    """The demo data plus a few rows the demo does not have, and the URL arguments that point at them."""

    def __init__(self):
        from news import services as news_services
        from progress import services as progress_services
        from progress.models import Procurement
        from projects.models import ActivityUnit, Project
        from workload.models import ExtraItem, FaqEntry, KnowledgeLink, StaffMember, Submission
        from workload.services import current_questionnaire

        users = {u.username: u for u in get_user_model().objects.filter(username__in=ROLES + TWINS)}
        users[MEMBER] = get_user_model().objects.create_user("member", password="Member-pass-2569")
        self.users = users

        # ALRO: a budget-act project with a unit of province 50 assigned.
        self.au = (
            ActivityUnit.objects.filter(unit__code="ALRO-P50", activity__project__funding_source="budget_act")
            .select_related("activity__project")
            .order_by("-activity__project__fiscal_year", "pk")
            .first()
        )
        self.activity = self.au.activity
        self.project = self.activity.project
        self.procurement = Procurement.objects.filter(activity_unit=self.au).first() or (
            progress_services.procurement_save(
                by=users["province_user"], activity_unit=self.au,
                fields={"item": "จ้างเหมาปรับปรุงถนนลูกรัง", "method": "specific"},
            )
        )  # fmt: skip
        # A project of Chiang Mai's unit that Chiang Rai's unit has no part in.
        self.other_project = (
            Project.objects.filter(activities__units__unit__code="ALRO-P50")
            .exclude(activities__units__unit__code="ALRO-P57")
            .order_by("-fiscal_year", "pk")
            .first()
        )
        # A report of the assigned unit handed in (November), for the reviewers' pages.
        self.report_month = 2
        if not self.au.month_reports.filter(month=self.report_month).exists():
            progress_services.submit_report(users["province_user"], self.au, self.report_month)
        # A month of the assigned unit still open and not handed in (November now is), for its forms.
        self.open_month = next(
            m.index
            for m in fiscal_months(self.project.fiscal_year)
            if m.first_day <= timezone.localdate() and progress_services.month_lock(self.au, m.index) is None
        )
        self.photo = progress_services.photo_add(
            by=users["province_user"], activity_unit=self.au, upload=_jpeg(), caption="ประชุมชี้แจงเกษตรกร"
        )

        # News: a published ALRO item with a cover, an image and an attachment; a district's
        # draft and a district's item waiting for its province.
        writer = users["admin_all"]
        self.news_published = news_services.news_save(
            by=writer, news=None, cover=_jpeg(),
            fields={"title": "ส.ป.ก. มอบหนังสืออนุญาต", "summary": "สรุปข่าว", "body": "เนื้อข่าว",
                    "category": "activity"},
        )  # fmt: skip
        self.news_image = news_services.image_add(by=writer, news=self.news_published, upload=_jpeg())
        self.news_attachment = news_services.attachment_add(
            by=writer, news=self.news_published, upload=_pdf()
        )
        news_services.news_submit(by=writer, news=self.news_published)
        district = users["district_recorder"]
        fields = {
            "title": "อำเภอประชุมประจำเดือน",
            "summary": "สรุป",
            "body": "ข่าว",
            "category": "activity",
        }
        self.news_draft = news_services.news_save(by=district, news=None, fields=fields)
        self.draft_attachment = news_services.attachment_add(by=district, news=self.news_draft, upload=_pdf())
        self.news_pending = news_services.news_save(by=district, news=None, fields=fields)
        news_services.news_submit(by=district, news=self.news_pending)

        # DLA: the open year's submission of district 5001 (Chiang Mai).
        self.questionnaire = current_questionnaire()
        self.fy = self.questionnaire.fiscal_year
        self.submission = Submission.objects.get(questionnaire=self.questionnaire, office__code="DLA-D5001")
        self.office = self.submission.office
        # Last year's, confirmed by the province: locked.
        self.confirmed = Submission.objects.get(
            questionnaire__fiscal_year=self.fy - 1, office__code="DLA-D5001", confirmed_at__isnull=False
        )
        self.extra = ExtraItem.objects.filter(submission=self.submission).first() or ExtraItem.objects.create(
            submission=self.submission, description="งานเลือกตั้งซ่อม", unit="ครั้ง", volume=1, days=1, hours=2
        )
        self.staff = StaffMember.objects.order_by("pk").first()
        self.link = KnowledgeLink.objects.order_by("pk").first()
        self.faq = FaqEntry.objects.order_by("pk").first()

        # The DLA admin's workbook of every answer, prepared in the background. Its file is a stand-in:
        # the export itself runs before the ANALYZE below and would be planned for empty tables.
        from django.core.files.base import ContentFile

        from reports.exports import prepared_export_start

        self.export = prepared_export_start(
            by=users["dla_admin"], kind="workload-answers", params={"fy": self.fy}
        )
        self.export.file.save("answers.xlsx", ContentFile(b"PK\x03\x04"), save=False)
        self.export.status = "ready"
        self.export.filename = self.export.fallback = "answers.xlsx"
        self.export.save()

        from accounts.models import AccessRequest, OrgUnit

        self.access_request = AccessRequest.objects.create(
            username="somsri", first_name="สมศรี", last_name="มีสุข", position="นักวิชาการ",
            phone="0812345678", org_unit=OrgUnit.objects.get(code="DLA-D5001"), role="district_recorder",
        )  # fmt: skip
        # A notification of Chiang Mai's district recorder: its own, nobody else's.

        from accounts.models import Notification

        self.notification = Notification.objects.create(
            recipient=users["district_recorder"], kind="district_reopened", url="/workload/",
            event_key="matrix", created_at=timezone.now(),
        )  # fmt: skip
        # The dashboards' summary is brought up to date at commit; these rows never commit.
        flush_figures()


@pytest.fixture(scope="module")
def world(demo_rows, django_db_blocker, tmp_path_factory):
    """Built once for the module, on the demo data, inside a transaction rolled back at the end."""
    with (
        django_db_blocker.unblock(),
        transaction.atomic(),
        demo_rows.loaded(tmp_path_factory.mktemp("media")),
    ):
        built = World()
        # The demo rows live only inside this transaction, and autovacuum may meanwhile have
        # analysed the tables as empty: PostgreSQL then planned the national workload export
        # as if for no rows (it ran for over ten minutes). ANALYZE counts the transaction's own
        # rows, and its statistics go with the rollback.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        built.clients = {}
        for name in PERSONAS:
            client = Client()
            if name != ANON:
                client.force_login(built.users[name])
            built.clients[name] = client
        yield built
        transaction.set_rollback(True)


# --- the URL patterns -------------------------------------------------------------------------


# --- who may open what -----------------------------------------------------------------------


def project(w):
    return {"pk": w.project.pk}


def activity(w):
    return {"pk": w.project.pk, "aid": w.activity.pk}


def assignment(w):
    return {"au": w.au.pk}


def office(w):
    return {"fy": w.fy, "code": w.office.code}


def confirmed_office(w):
    return {"fy": w.confirmed.questionnaire.fiscal_year, "code": w.confirmed.office.code}


# The chosen project is paid by the budget act, owned by the Land Management Bureau (bureau_user_b)
# and assigned to Chiang Mai (province_user) and Chiang Rai (province_user_b); the assigned unit
# (au) is Chiang Mai's.
PROJECT_READERS = who(
    "super_admin admin_all admin_fund finance_budget province_user province_user_b report_viewer "
    "bureau_user_b"
)
PROGRESS_READERS = who(
    "super_admin admin_all admin_fund finance_budget province_user province_user_b bureau_user_b"
)
# Who accepts or sends back the assigned unit's monthly report: the project's owners.
REPORT_REVIEWERS = who("super_admin admin_all bureau_user_b")
BUDGET_ACT_PLANNERS = who("super_admin admin_all")
ACCESS_REVIEWERS = who("super_admin province_sso_admin")
DISTRICT_AUTHOR = who("super_admin district_recorder")  # the district's own news; the super admin
NEWS_APPROVERS = who("super_admin province_confirmer")
DLA_REPORT_READERS = who(
    "super_admin report_viewer district_recorder district_recorder_b province_confirmer "
    "province_confirmer_b dla_admin"
)
# Chiang Mai's unit and province in the completeness grids: those who read every unit, the finance
# users of its money sources, its own provincial users, and both demo bureaus, which own projects
# assigned to it and review its reports (access.report_review_scope).
COMPLETENESS_P50 = who(
    "super_admin admin_all admin_fund report_viewer finance_budget finance_fund province_user bureau_user "
    "bureau_user_b"
)

# Who does not see the rows in the URLs (refused with 404, where others are refused with 403). The
# chosen project: the fund's finance user (a budget-act project) and the bureau that neither owns it
# nor is assigned to it. Its figures for Chiang Mai's unit: also Chiang Rai's provincial user.
PROJECT_HIDDEN = who("finance_fund bureau_user")
FIGURES_HIDDEN = PROJECT_HIDDEN | who("province_user_b")
# Chiang Mai's district office: the other province's district office and confirmer.
OFFICE_HIDDEN = who("district_recorder_b province_confirmer_b")
# Chiang Mai's review page: also its own district offices, which see themselves only.
PROVINCE_HIDDEN = OFFICE_HIDDEN | who("district_recorder")
# Chiang Mai's DLA accounts and access requests: the other province's account admin.
ACCOUNT_HIDDEN = who("province_sso_admin_b")
# A district's draft is its author's alone (and the super admin's).
DRAFT_HIDDEN = EVERYONE - DISTRICT_AUTHOR
# A district's item sent to its province: the author, its province's confirmer, the DLA's admins.
PENDING_HIDDEN = EVERYONE - who("super_admin district_recorder province_confirmer dla_admin")
# A file prepared for the DLA admin: nobody else sees it (those without the reports section are
# refused before).
EXPORT_HIDDEN = SIGNED_IN - who("member province_sso_admin province_sso_admin_b dla_admin")

ACCESS: dict[str, Case] = {
    # The site
    "home": page(EVERYONE, public=True),
    "about": page(EVERYONE, public=True),
    "status": page(SIGNED_IN),
    "healthz": page(EVERYONE, public=True),
    "set_language": form(EVERYONE, public=True, data={"language": "en", "next": "/"}),
    # Signing in (django-allauth); the social pages are the agency's single sign-on
    "account_login": form(EVERYONE, public=True),
    "account_logout": form(EVERYONE, public=True),
    "account_inactive": page(EVERYONE, public=True),
    "account_signup": form(EVERYONE, public=True),
    "account_reauthenticate": form(SIGNED_IN),
    "account_email": form(SIGNED_IN),
    "account_email_verification_sent": page(EVERYONE, public=True),
    "account_change_password": form(SIGNED_IN),
    "account_set_password": form(SIGNED_IN),
    "account_reset_password": form(EVERYONE, public=True),
    "account_reset_password_done": page(EVERYONE, public=True),
    "account_reset_password_from_key": form(
        EVERYONE, public=True, kwargs=lambda w: {"uidb36": "2", "key": "not-a-valid-key"}
    ),
    "account_reset_password_from_key_done": page(EVERYONE, public=True),
    "account_confirm_login_code": form(SIGNED_IN),
    "account_confirm_email": Case(
        get=EVERYONE, post=NOBODY, public=True, kwargs=lambda w: {"key": "not-a-valid-key"}, hidden=EVERYONE
    ),
    "socialaccount_login_cancelled": page(EVERYONE, public=True),
    "socialaccount_login_error": Case(get=NOBODY, post=None, refused="401"),
    "socialaccount_signup": Case(get=NOBODY, post=NOBODY, public=True, refused="login"),
    "socialaccount_connections": form(SIGNED_IN),
    "accounts/social/login/cancelled/": page(SIGNED_IN),
    "accounts/social/login/error/": page(SIGNED_IN),
    "accounts/social/signup/": page(SIGNED_IN),
    "accounts/social/connections/": page(SIGNED_IN),
    # No sign-on server is configured in the tests: the provider is unknown to everyone.
    "openid_connect_login": Case(
        NOBODY, NOBODY, public=True, kwargs=lambda w: {"provider_id": "agency"}, hidden=EVERYONE
    ),
    "openid_connect_callback": Case(
        NOBODY, NOBODY, public=True, kwargs=lambda w: {"provider_id": "agency"}, hidden=EVERYONE
    ),
    # Accounts
    "accounts:index": form(SIGNED_IN),
    "accounts:keep_alive": action(SIGNED_IN),
    "accounts:notification_email": action(SIGNED_IN),
    "accounts:notifications": page(SIGNED_IN),
    "accounts:notifications_read_all": action(SIGNED_IN),
    "accounts:notification_open": page(
        who("district_recorder"),
        kwargs=lambda w: {"pk": w.notification.pk},
        hidden=SIGNED_IN - who("district_recorder"),
    ),
    "accounts:request_access": form(EVERYONE, public=True),
    "accounts:request_access_sent": page(EVERYONE, public=True),
    "accounts:sso_admins": page(EVERYONE, public=True),
    "accounts:unit_options": page(EVERYONE, public=True),
    "accounts:access_request_list": page(who("super_admin province_sso_admin province_sso_admin_b")),
    "accounts:access_request_detail": page(
        ACCESS_REVIEWERS, kwargs=lambda w: {"pk": w.access_request.pk}, hidden=ACCOUNT_HIDDEN
    ),
    "accounts:access_request_approve": action(
        ACCESS_REVIEWERS, kwargs=lambda w: {"pk": w.access_request.pk}, hidden=ACCOUNT_HIDDEN
    ),
    "accounts:access_request_reject": action(
        ACCESS_REVIEWERS, kwargs=lambda w: {"pk": w.access_request.pk}, hidden=ACCOUNT_HIDDEN
    ),
    "accounts:user_list": page(who("super_admin province_sso_admin province_sso_admin_b")),
    "accounts:user_create": form(who("super_admin province_sso_admin province_sso_admin_b")),
    "accounts:user_edit": form(
        ACCESS_REVIEWERS, kwargs=lambda w: {"pk": w.users["district_recorder"].pk}, hidden=ACCOUNT_HIDDEN
    ),
    # The account's own person, and those who manage it.
    "accounts:user_history": page(
        who("super_admin province_sso_admin district_recorder"),
        kwargs=lambda w: {"pk": w.users["district_recorder"].pk},
        hidden=SIGNED_IN - who("super_admin province_sso_admin district_recorder"),
    ),
    "accounts:user_password": form(
        ACCESS_REVIEWERS, kwargs=lambda w: {"pk": w.users["district_recorder"].pk}, hidden=ACCOUNT_HIDDEN
    ),
    # Projects
    "projects:index": page(ALRO_READERS),
    "projects:create": form(ALRO_PLANNERS),
    "projects:export": page(ALRO_READERS),
    "projects:template": page(ALRO_READERS),
    "projects:import": form(ALRO_PLANNERS),
    "projects:import_apply": action(ALRO_PLANNERS),
    "projects:detail": page(PROJECT_READERS, kwargs=project, hidden=PROJECT_HIDDEN),
    # A project of Chiang Mai and Nakhon Ratchasima only: Chiang Rai's user is an outsider. It is
    # owned by the Area Development Bureau (bureau_user).
    "projects:detail#one-province": page(
        who("super_admin admin_all admin_fund finance_budget province_user report_viewer bureau_user"),
        kwargs=lambda w: {"pk": w.other_project.pk},
        hidden=who("finance_fund bureau_user_b province_user_b"),
    ),
    "projects:edit": form(BUDGET_ACT_PLANNERS, kwargs=project, hidden=PROJECT_HIDDEN),
    "projects:delete": form(BUDGET_ACT_PLANNERS, kwargs=project, hidden=PROJECT_HIDDEN),
    "projects:copy_next_year": action(BUDGET_ACT_PLANNERS, kwargs=project, hidden=PROJECT_HIDDEN),
    "projects:activity_create": form(BUDGET_ACT_PLANNERS, kwargs=project, hidden=PROJECT_HIDDEN),
    "projects:activity_edit": form(BUDGET_ACT_PLANNERS, kwargs=activity, hidden=PROJECT_HIDDEN),
    "projects:history": page(PROJECT_READERS, kwargs=project, hidden=PROJECT_HIDDEN),
    "projects:activity_history": page(PROJECT_READERS, kwargs=activity, hidden=PROJECT_HIDDEN),
    "projects:activity_delete": form(BUDGET_ACT_PLANNERS, kwargs=activity, hidden=PROJECT_HIDDEN),
    "projects:activity_plan": form(BUDGET_ACT_PLANNERS, kwargs=activity, hidden=PROJECT_HIDDEN),
    "projects:activity_budget": form(BUDGET_ACT_PLANNERS, kwargs=activity, hidden=PROJECT_HIDDEN),
    "projects:indicator_targets": form(BUDGET_ACT_PLANNERS, kwargs=activity, hidden=PROJECT_HIDDEN),
    "projects:activity_rows": form(
        BUDGET_ACT_PLANNERS, kwargs=lambda w: {**activity(w), "kind": "units"}, hidden=PROJECT_HIDDEN
    ),
    # Progress
    "progress:index": page(ALRO_REPORTERS),
    "progress:project": page(PROGRESS_READERS, kwargs=project, hidden=PROJECT_HIDDEN),
    "progress:project_tab": page(
        PROGRESS_READERS, kwargs=lambda w: {**project(w), "tab": "performance"}, hidden=PROJECT_HIDDEN
    ),
    "progress:calendar": form(who("super_admin admin_all")),
    # Closing: the demo closes October 2569 (FY 2570, month 1); November has ended and is open.
    "progress:closing": page(who("super_admin admin_all")),
    "progress:closing_year": page(who("super_admin admin_all"), kwargs=lambda w: {"fy": 2570}),
    "progress:close_month": form(
        who("super_admin admin_all"), kwargs=lambda w: {"fy": 2570, "month": 2}, data={"confirm": "on"}
    ),
    "progress:reopen_month": form(
        who("super_admin"), kwargs=lambda w: {"fy": 2570, "month": 1}, data={"reason": "แก้ไขผลเดือนตุลาคม"}
    ),
    "progress:history": page(
        PROGRESS_READERS, kwargs=lambda w: {**assignment(w), "month": 1}, hidden=PROJECT_HIDDEN
    ),
    # The forms of a month still open and not handed in (the demo closes October and hands
    # November in; a locked month's forms refuse every POST with 403, see progress/tests).
    "progress:performance": form(
        who("super_admin province_user"),
        kwargs=lambda w: {**assignment(w), "month": w.open_month},
        hidden=PROJECT_HIDDEN,
    ),
    "progress:disbursement": form(
        who("super_admin finance_budget"),
        kwargs=lambda w: {**assignment(w), "month": w.open_month},
        hidden=PROJECT_HIDDEN,
    ),
    "progress:transfer_new": form(
        who("super_admin finance_budget"), kwargs=assignment, hidden=PROJECT_HIDDEN
    ),
    "progress:procurement_new": form(
        who("super_admin finance_budget province_user"), kwargs=assignment, hidden=PROJECT_HIDDEN
    ),
    "progress:procurement_edit": form(
        who("super_admin finance_budget province_user"),
        kwargs=lambda w: {**assignment(w), "pk": w.procurement.pk},
        hidden=PROJECT_HIDDEN,
    ),
    "progress:photo_new": form(who("super_admin province_user"), kwargs=assignment, hidden=PROJECT_HIDDEN),
    "progress:photo_file": page(
        PROGRESS_READERS, kwargs=lambda w: {"pk": w.photo.pk, "size": "thumb"}, hidden=PROJECT_HIDDEN
    ),
    "progress:report": page(
        PROGRESS_READERS, kwargs=lambda w: {**assignment(w), "month": 1}, hidden=PROJECT_HIDDEN
    ),
    "progress:report_submit": action(
        who("super_admin province_user"),
        kwargs=lambda w: {**assignment(w), "month": 1},
        hidden=PROJECT_HIDDEN,
    ),
    "progress:report_accept": action(
        REPORT_REVIEWERS, kwargs=lambda w: {**assignment(w), "month": w.report_month}, hidden=PROJECT_HIDDEN
    ),
    "progress:report_send_back": form(
        REPORT_REVIEWERS,
        kwargs=lambda w: {**assignment(w), "month": w.report_month},
        data={"reason": "ผลผลิตไม่ตรงกับหลักฐานที่แนบ"},
        hidden=PROJECT_HIDDEN,
    ),
    # Reports
    "reports:index": page(SIGNED_IN - who("member province_sso_admin province_sso_admin_b")),
    "reports:budget": page(ALRO_READERS),
    "reports:budget_xlsx": page(ALRO_READERS),
    "reports:performance": page(ALRO_READERS),
    "reports:performance_xlsx": page(ALRO_READERS),
    "reports:assignment": page(
        PROJECT_READERS - who("province_user_b"), kwargs=lambda w: {"pk": w.au.pk}, hidden=FIGURES_HIDDEN
    ),
    "reports:assignment_xlsx": page(
        PROJECT_READERS - who("province_user_b"), kwargs=lambda w: {"pk": w.au.pk}, hidden=FIGURES_HIDDEN
    ),
    # The month's reviewers who see the drill-down: the admins of its money source.
    "reports:assignment_check": action(
        REPORT_REVIEWERS, kwargs=lambda w: {"pk": w.au.pk}, hidden=FIGURES_HIDDEN
    ),
    "reports:workload": page(DLA_REPORT_READERS),
    "reports:workload_xlsx": page(DLA_REPORT_READERS),
    "reports:export_start": action(
        DLA_CENTRE, kwargs=lambda w: {"kind": "workload-answers"}, data=lambda w: {"fy": w.fy}
    ),
    # A file prepared in the background for the DLA admin: theirs alone.
    "reports:export": page(who("dla_admin"), kwargs=lambda w: {"pk": w.export.pk}, hidden=EXPORT_HIDDEN),
    "reports:export_file": page(who("dla_admin"), kwargs=lambda w: {"pk": w.export.pk}, hidden=EXPORT_HIDDEN),
    "reports:targets": page(ALRO_READERS),
    # Completeness of the monthly reports: nationally for those who read every unit's figures; the
    # grids of a project for its readers, of a unit or province for those whose scope holds it.
    "reports:completeness": page(who("super_admin admin_all admin_fund report_viewer")),
    "reports:completeness_project": page(PROJECT_READERS, kwargs=project, hidden=PROJECT_HIDDEN),
    "reports:completeness_unit": page(
        COMPLETENESS_P50, kwargs=lambda w: {"pk": w.au.unit_id}, hidden=who("province_user_b")
    ),
    "reports:completeness_province": page(
        COMPLETENESS_P50, kwargs=lambda w: {"code": "50"}, hidden=who("province_user_b")
    ),
    "reports:targets_edit": form(BUDGET_ACT_PLANNERS, kwargs=lambda w: {"fy": w.project.fiscal_year}),
    # News: a published ALRO item, a district's draft and a district's item waiting for its province
    "news:index": page(EVERYONE, public=True),
    "news:mine": page(NEWS_WRITERS),
    "news:create": form(NEWS_WRITERS),
    "news:queue": page(who("super_admin province_confirmer province_confirmer_b")),
    "news:detail": page(EVERYONE, public=True, kwargs=lambda w: {"pk": w.news_published.pk}),
    "news:detail#draft": page(
        DISTRICT_AUTHOR, public=True, kwargs=lambda w: {"pk": w.news_draft.pk}, hidden=DRAFT_HIDDEN
    ),
    "news:detail#pending": page(
        who("super_admin district_recorder province_confirmer dla_admin"),
        public=True,
        kwargs=lambda w: {"pk": w.news_pending.pk},
        hidden=PENDING_HIDDEN,
    ),
    "news:edit": form(DISTRICT_AUTHOR, kwargs=lambda w: {"pk": w.news_draft.pk}, hidden=DRAFT_HIDDEN),
    "news:submit": action(DISTRICT_AUTHOR, kwargs=lambda w: {"pk": w.news_draft.pk}, hidden=DRAFT_HIDDEN),
    "news:delete": form(DISTRICT_AUTHOR, kwargs=lambda w: {"pk": w.news_draft.pk}, hidden=DRAFT_HIDDEN),
    # A published item's admins: its publisher (admin_all), the agency's admins, the super admin.
    "news:delete#published": form(
        who("super_admin admin_all admin_fund"), kwargs=lambda w: {"pk": w.news_published.pk}
    ),
    "news:history": page(ALRO_PLANNERS, kwargs=lambda w: {"pk": w.news_published.pk}),
    "news:add_file": action(
        DISTRICT_AUTHOR, kwargs=lambda w: {"pk": w.news_draft.pk, "kind": "image"}, hidden=DRAFT_HIDDEN
    ),
    "news:archive": action(ALRO_PLANNERS, kwargs=lambda w: {"pk": w.news_published.pk}),
    "news:decide": action(
        NEWS_APPROVERS,
        kwargs=lambda w: {"pk": w.news_pending.pk, "decision": "approve"},
        hidden=PENDING_HIDDEN,
    ),
    "news:cover": page(EVERYONE, public=True, kwargs=lambda w: {"pk": w.news_published.pk}),
    "news:image": page(EVERYONE, public=True, kwargs=lambda w: {"pk": w.news_image.pk, "size": "thumb"}),
    "news:attachment": page(EVERYONE, public=True, kwargs=lambda w: {"pk": w.news_attachment.pk}),
    "news:attachment#draft": page(
        DISTRICT_AUTHOR, public=True, kwargs=lambda w: {"pk": w.draft_attachment.pk}, hidden=DRAFT_HIDDEN
    ),
    # Workload: Chiang Mai's district 5001 in the open year
    "workload:index": page(DLA_REPORT_READERS - who("report_viewer")),
    "workload:status": page(DISTRICT_READERS, kwargs=office, hidden=OFFICE_HIDDEN),
    "workload:contact": form(
        DISTRICT_READERS, post=who("district_recorder"), kwargs=office, hidden=OFFICE_HIDDEN
    ),
    "workload:aspect": form(
        DISTRICT_READERS,
        post=who("district_recorder"),
        kwargs=lambda w: {**office(w), "number": 1},
        hidden=OFFICE_HIDDEN,
    ),
    # Last year's, confirmed: readable, and nobody may change it (the lock).
    "workload:aspect#confirmed": form(
        DISTRICT_READERS,
        post=NOBODY,
        kwargs=lambda w: {**confirmed_office(w), "number": 1},
        hidden=OFFICE_HIDDEN,
    ),
    "workload:contact#confirmed": form(
        DISTRICT_READERS, post=NOBODY, kwargs=confirmed_office, hidden=OFFICE_HIDDEN
    ),
    "workload:record": page(DISTRICT_READERS, kwargs=confirmed_office, hidden=OFFICE_HIDDEN),
    "workload:history": page(DISTRICT_READERS, kwargs=office, hidden=OFFICE_HIDDEN),
    "workload:extras": page(DISTRICT_READERS, kwargs=office, hidden=OFFICE_HIDDEN),
    "workload:extra_new": form(who("district_recorder"), kwargs=office, hidden=OFFICE_HIDDEN),
    "workload:extra_edit": form(
        who("district_recorder"), kwargs=lambda w: {**office(w), "pk": w.extra.pk}, hidden=OFFICE_HIDDEN
    ),
    "workload:extra_delete": form(
        who("district_recorder"), kwargs=lambda w: {**office(w), "pk": w.extra.pk}, hidden=OFFICE_HIDDEN
    ),
    "workload:confirm": action(who("province_confirmer"), kwargs=office, hidden=OFFICE_HIDDEN),
    "workload:answer_check": action(who("province_confirmer"), kwargs=office, hidden=OFFICE_HIDDEN),
    "workload:reopen": action(
        who("dla_admin"), kwargs=office, data={"reason": "แก้ไขจำนวนเรื่องร้องเรียน"}, hidden=OFFICE_HIDDEN
    ),
    "workload:province": page(
        who("super_admin province_confirmer dla_admin"),
        kwargs=lambda w: {"fy": w.fy, "code": "50"},
        hidden=PROVINCE_HIDDEN,
    ),
    "workload:confirm_complete": action(
        who("province_confirmer"), kwargs=lambda w: {"fy": w.fy, "code": "50"}, hidden=PROVINCE_HIDDEN
    ),
    "workload:remind": action(
        who("province_confirmer"), kwargs=lambda w: {"fy": w.fy, "code": "50"}, hidden=PROVINCE_HIDDEN
    ),
    "workload:national": page(DLA_CENTRE, kwargs=lambda w: {"fy": w.fy}),
    "workload:export": page(DLA_CENTRE, kwargs=lambda w: {"fy": w.fy}),
    "workload:questionnaires": form(DLA_CENTRE),
    "workload:questionnaire": form(DLA_CENTRE, kwargs=lambda w: {"fy": w.fy}),
    "workload:questionnaire_aspect": form(DLA_CENTRE, kwargs=lambda w: {"fy": w.fy, "number": 1}),
    # The coordination centre's public pages and their editors
    "workload:registry": page(EVERYONE, public=True),
    "workload:registry_new": form(who("super_admin dla_admin province_sso_admin"), query="?province=50"),
    "workload:registry_edit": form(
        who("super_admin dla_admin province_sso_admin"), kwargs=lambda w: {"pk": w.staff.pk}
    ),
    "workload:registry_import": form(DLA_CENTRE),
    "workload:toolkits": page(EVERYONE, public=True),
    "workload:link_new": form(DLA_CENTRE),
    "workload:link_edit": form(DLA_CENTRE, kwargs=lambda w: {"pk": w.link.pk}),
    "workload:about": page(EVERYONE, public=True),
    "workload:about_edit": form(DLA_CENTRE),
    "workload:faq": page(EVERYONE, public=True),
    "workload:faq_new": form(DLA_CENTRE),
    "workload:faq_edit": form(DLA_CENTRE, kwargs=lambda w: {"pk": w.faq.pk}),
}

# The admin site: staff only. Tried by the anonymous, by a non-staff user who holds model
# permissions (the province's account admin), and by the super admin and the DLA admin (staff;
# the DLA admin sees only submissions there, other pages are refused).
ADMIN_PERSONAS = [ANON, "province_sso_admin", "super_admin", "dla_admin"]
ADMIN_STAFF = who("super_admin dla_admin")
# Its doors are open to all: signing in there (which sends to the site's sign-in) and out.
ADMIN_DOORS = {"admin/login/", "admin:login", "admin:logout"}
# No such page for staff either: the catch-all for an unknown admin address, and "view on site" for a
# user, which has no page on the site.
ADMIN_NOT_FOUND = {"admin/(?P<url>.*)$", "admin:view_on_site"}


# --- running the cases -----------------------------------------------------------------------


LOGIN_PATHS = ("/accounts/login/", "/admin/login/")


def outcome(response) -> str:
    """ok, login, or the status code when it is something else (403 and 404 told apart)."""
    code = response.status_code
    if code in (301, 302, 303):
        return "login" if response["Location"].startswith(LOGIN_PATHS) else "ok"
    if code in (200, 201, 204):
        return "ok"
    return str(code)


def refusal(case: Case, persona: str) -> str:
    """404 for who does not see the URL's row, 403 for the others, unless the case says otherwise."""
    if case.refused != "deny":
        return case.refused
    return "404" if persona in case.hidden else "403"


def expected(case: Case, persona: str, method: str) -> set[str]:
    if persona == ANON and not case.public:
        return {"login"}
    if method == "GET" and case.get is None:  # a POST-only URL
        return {"405", refusal(case, persona)}
    if method == "POST" and case.post is None:  # a page without a form
        return {"ok", "405"} if persona in case.get else {"405", refusal(case, persona)}
    allowed = case.get if method == "GET" else case.post
    return {"ok"} if persona in allowed else {refusal(case, persona)}


class _Rollback(Exception):
    pass


def attempt(w, persona: str, method: str, url: str, data: dict) -> str:
    client = w.clients[persona]
    cookies = client.cookies  # a sign-out or sign-in replaces them; the next case needs them
    client.cookies = type(cookies)(cookies)
    try:
        with transaction.atomic():
            response = client.get(url) if method == "GET" else client.post(url, data)
            result = outcome(response)
            raise _Rollback
    except _Rollback:
        pass
    finally:
        client.cookies = cookies
        caches["pages"].clear()
    return result


def url_for(route: Route, case: Case, w) -> str:
    if route.name == route.pattern:  # unnamed
        return "/" + route.pattern
    kwargs = case.kwargs(w) if case.kwargs else {}
    return reverse(route.name, kwargs=kwargs) + case.query


@pytest.fixture
def quiet_requests():
    """403s and 404s are expected here by the thousand; Django logs each with a traceback."""
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.ERROR)
    yield
    logger.setLevel(level)


ROUTES = {route.name: route for route in all_routes()}


def test_every_url_is_declared():
    declared = {key.split("#")[0] for key in ACCESS}
    public = {name for name, route in ROUTES.items() if not route.is_admin}
    assert not public - declared, f"URLs missing from ACCESS: {sorted(public - declared)}"
    assert not declared - public, f"ACCESS names URLs that do not exist: {sorted(declared - public)}"


@pytest.mark.django_db
def test_every_persona_exists_in_the_demo_world(world):
    assert set(world.users) == set(PERSONAS) - {ANON}


@pytest.mark.django_db
@pytest.mark.usefixtures("quiet_requests")
@pytest.mark.parametrize("key", sorted(ACCESS))
def test_access(world, key):
    route, case = ROUTES[key.split("#")[0]], ACCESS[key]
    url = url_for(route, case, world)
    wrong = []
    for method in ("GET", "POST"):
        for persona in PERSONAS:
            data = case.data(world) if callable(case.data) else case.data
            got = attempt(world, persona, method, url, data)
            if got not in expected(case, persona, method):
                wrong.append(
                    f"{method} {url} as {persona}: {got}, expected {expected(case, persona, method)}"
                )
    assert not wrong, "\n".join(wrong)


def admin_url(route: Route, w) -> str:
    """The admin page of the route, for the first row of its model."""
    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType

    parts = route.pattern.split("/")
    values = {"app_label": "accounts", "url": "no/such/page/"}
    if "content_type_id" in route.params:
        values["content_type_id"] = str(ContentType.objects.get_for_model(get_user_model()).pk)
        values["object_id"] = str(w.users["district_recorder"].pk)
    elif "object_id" in route.params or "id" in route.params:
        model = apps.get_model(parts[1], parts[2])
        first = model._default_manager.order_by("pk").first()
        values["object_id"] = values["id"] = str(first.pk if first else 1)
    if route.name != route.pattern:
        return reverse(route.name, kwargs={p: values[p] for p in route.params})
    path = re.sub(
        r"\(\?P<(\w+)>[^)]*\)|<(?:\w+:)?(\w+)>", lambda m: values[m.group(1) or m.group(2)], route.pattern
    )
    return "/" + path.replace("^", "").replace("$", "")


@pytest.mark.django_db
@pytest.mark.usefixtures("quiet_requests")
@pytest.mark.parametrize("name", sorted(name for name, route in ROUTES.items() if route.is_admin))
def test_admin_is_for_staff_only(world, name):
    route = ROUTES[name]
    url = admin_url(route, world)
    wrong = []
    for method in ("GET", "POST"):
        for persona in ADMIN_PERSONAS:
            got = attempt(world, persona, method, url, {})
            # Staff get the page, or a refusal of the admin's own (a model that cannot be added).
            if name in ADMIN_DOORS:
                ok = got in {"ok", "login", "403", "405"}
            elif name in ADMIN_NOT_FOUND:
                ok = got == "404" if persona in ADMIN_STAFF else got == "login"
            else:
                ok = got in {"ok", "403", "405"} if persona in ADMIN_STAFF else got == "login"
            if not ok:
                wrong.append(f"{method} {url} as {persona}: {got}")
    assert not wrong, "\n".join(wrong)
