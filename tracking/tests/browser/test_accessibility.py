"""Accessibility of the main pages of every role, on the demonstration data.

Each page is loaded in Chromium and checked with axe-core: no violation of impact "serious" or
"critical" is allowed. Every visible form control must have an accessible name, and the page must
answer 200 (so the check never passes on an error page by mistake).
"""

from dataclasses import dataclass

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client
from django.utils import timezone

from accounts.models import AccessRequest, OrgUnit, User
from news.models import News
from progress import services as progress_services
from progress.models import Procurement
from progress.tests.data import report_in_state
from projects.models import ActivityUnit, Project
from tracking.thaicalendar import current_fiscal_year, fiscal_months
from workload.models import Questionnaire

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

AXE = Axe()
BLOCKING = {"serious", "critical"}

# Visible form controls without an accessible name (label, aria-label, aria-labelledby or title).
UNLABELLED = """() => {
  const named = (el) => {
    if ((el.getAttribute("aria-label") || "").trim()) return true;
    const by = el.getAttribute("aria-labelledby");
    const text = (id) => (document.getElementById(id)?.innerText || "").trim();
    if (by && by.split(/\\s+/).some(text)) return true;
    if (el.labels && Array.from(el.labels).some((label) => label.innerText.trim())) return true;
    return (el.getAttribute("title") || "").trim() !== "";
  };
  const skip = new Set(["hidden", "submit", "button", "reset", "image"]);
  return Array.from(document.querySelectorAll("input, select, textarea"))
    .filter((el) => !skip.has(el.type) && el.getClientRects().length > 0 && !named(el))
    .map((el) => el.outerHTML.slice(0, 160));
}"""


@dataclass
class Finding:
    path: str
    text: str


def audit(page, path) -> list[Finding]:
    response = page.goto(path)
    findings = []
    if response is None or response.status != 200:
        return [Finding(path, f"answered {response.status if response else 'nothing'}, not 200")]
    for violation in AXE.run(page).response["violations"]:
        if violation["impact"] in BLOCKING:
            targets = [", ".join(node["target"]) for node in violation["nodes"]]
            findings.append(
                Finding(
                    path, f"axe {violation['id']} ({violation['impact']}): {violation['help']} → {targets}"
                )
            )
    # Wide tables scroll inside their frame; the page itself never scrolls sideways (WCAG reflow).
    if page.evaluate("document.documentElement.scrollWidth > window.innerWidth"):
        findings.append(Finding(path, "the page scrolls sideways at 1280 pixels wide"))
    if "<" in page.title() or not page.title().strip():
        findings.append(Finding(path, f"page title is not plain text: {page.title()!r}"))
    for html in page.evaluate(UNLABELLED):
        findings.append(Finding(path, f"form control without a label: {html}"))
    return findings


def signed_in(context, url, username):
    """Sign the browser in as a demo user (the sign-in form itself is tested elsewhere)."""
    client = Client()
    client.force_login(User.objects.get(username=username))
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": url}])


def pages_of(role) -> list[str]:
    """The main pages each role works with, found in the demonstration data (each page once)."""
    fy = current_fiscal_year()
    project = Project.objects.get(fiscal_year=fy, code="P70-01")
    activity = project.activities.order_by("order").first()
    mine = (
        ActivityUnit.objects.filter(activity__project=project, unit__code="ALRO-P50").order_by("pk").first()
    )
    procurement = Procurement.objects.filter(activity_unit__unit__code="ALRO-P50").first()
    workload_fy = Questionnaire.objects.order_by("-fiscal_year").first().fiscal_year
    office = f"/workload/{workload_fy}/office/DLA-D5001/"
    news = News.objects.filter(status="published").first()
    a = f"/projects/{project.pk}/activities/{activity.pk}/"
    user = User.objects.get(username="province_user")
    progress = f"/progress/assignments/{mine.pk}/"
    return {
        "anonymous": [
            "/", "/accounts/login/", "/about/", "/news/", f"/news/{news.pk}/",
            "/workload/registry/?province=50", "/workload/toolkits/", "/workload/faq/", "/workload/about/",
            "/accounts/request-access/", "/accounts/sso-admins/",
        ],
        "admin_all": [
            "/", "/projects/", f"/projects/{project.pk}/", "/projects/new/", a, f"{a}units/", f"{a}steps/",
            f"{a}indicators/", f"{a}plan/", f"{a}budget/", f"{a}indicator-targets/", "/projects/import/",
            "/reports/", f"/reports/budget/?fy={fy}", f"/reports/performance/?fy={fy}", "/reports/targets/",
            f"/reports/targets/{fy}/", f"/reports/assignments/{mine.pk}/", f"{progress}report/1/",
            "/news/mine/", "/news/new/",
            "/accounts/me/",
        ],
        "province_user": [
            "/progress/", *(f"/progress/projects/{project.pk}/{tab}/" for tab in
                            ("detail", "performance", "disbursement", "procurement", "transfers", "photos")),
            f"{progress}performance/1/", f"{progress}report/1/", f"{progress}procurements/new/",
            f"{progress}photos/new/",
            f"/progress/assignments/{procurement.activity_unit_id}/procurements/{procurement.pk}/",
        ],
        "finance_budget": [f"{progress}disbursement/1/", f"{progress}transfers/new/"],
        "district_recorder": [
            office, f"{office}contact/", f"{office}aspect/1/", f"{office}extras/", f"{office}extras/new/",
            "/accounts/notifications/",
        ],
        "province_confirmer": [f"/workload/{workload_fy}/province/50/", "/news/queue/", "/reports/workload/"],
        "dla_admin": [
            f"/workload/{workload_fy}/national/", "/workload/questionnaires/",
            f"/workload/questionnaires/{workload_fy}/", f"/workload/questionnaires/{workload_fy}/aspect/1/",
            "/workload/registry/new/?province=50", "/workload/faq/new/", "/workload/about/edit/",
            "/workload/registry/import/",
        ],
        "super_admin": [
            "/accounts/users/", "/accounts/users/new/", f"/accounts/users/{user.pk}/",
            f"/accounts/users/{user.pk}/password/", "/accounts/access-requests/",
            f"/accounts/access-requests/{AccessRequest.objects.get().pk}/",
        ],
        "province_sso_admin": ["/accounts/users/"],
    }[role]  # fmt: skip


def more_data():
    """What the demonstration data lacks: a published news item, a pending access request and an
    unread notification (the bell with its count)."""
    from accounts.notifications import Kind, notify

    author = User.objects.get(username="district_recorder")
    notify(
        [author], Kind.NEWS_REJECTED, url="/news/mine/", event_key="a11y",
        params={"title": "สถอ.เมืองเชียงใหม่ประชุมประจำเดือน", "reason": "กรุณาแนบภาพประกอบ"},
    )  # fmt: skip
    News.objects.create(
        title="สถอ.เมืองเชียงใหม่ประชุมประจำเดือน", summary="สรุปการประชุมประจำเดือน", category="local",
        body="<p>ประชุมเจ้าหน้าที่ทุกตำบล</p>", status="published", publish_date=timezone.localdate(),
        author=author, unit=author.org_unit,
    )  # fmt: skip
    AccessRequest.objects.create(
        username="newcomer", first_name="สมใจ", last_name="ใฝ่รู้", position="นักวิชาการปฏิรูปที่ดิน",
        phone="0812345678", org_unit=OrgUnit.objects.get(code="ALRO-P50"), role="province_user",
        note="ย้ายมาประจำจังหวัดเชียงใหม่",
    )  # fmt: skip


ROLES = ["anonymous", "admin_all", "province_user", "finance_budget", "district_recorder",
         "province_confirmer", "dla_admin", "super_admin", "province_sso_admin"]  # fmt: skip


@pytest.mark.parametrize("role", ROLES)
def test_main_pages_have_no_serious_accessibility_violations(role, demo_data, live_server, context, page):
    more_data()
    if role != "anonymous":
        signed_in(context, live_server.url, role)
    findings = []
    for path in pages_of(role):
        findings += audit(page, path)
    assert not findings, "\n".join(f"{f.path}: {f.text}" for f in findings)


HOME_ROLES = ["province_user", "bureau_user", "finance_budget", "district_recorder", "province_confirmer",
              "super_admin", "province_sso_admin"]  # fmt: skip


@pytest.mark.parametrize("role", HOME_ROLES)
def test_home_page_tasks_have_no_serious_accessibility_violations(
    role, demo_data, live_server, context, page
):
    """Each person's task cards (งานของฉัน), with reports sent back and waiting, on a laptop and a phone."""
    more_data()
    reporter, admin = User.objects.get(username="province_user"), User.objects.get(username="admin_all")
    now = timezone.now()
    mine = ActivityUnit.objects.filter(
        unit__code="ALRO-P50", activity__project__fiscal_year=current_fiscal_year()
    )
    for au, status in zip(mine.order_by("pk")[:2], ("sent_back", "submitted"), strict=False):
        # A month still open and not handed in (the demo closes October and hands some in).
        month = next(
            m.index
            for m in fiscal_months(current_fiscal_year())
            if m.first_day <= now.date() and progress_services.month_lock(au, m.index) is None
        )
        report_in_state(au, month, status, by=reporter, submitted_at=now, decided_by=admin, decided_at=now)
    signed_in(context, live_server.url, role)
    findings = audit(page, "/")
    assert "งานของฉัน" in page.content()
    page.set_viewport_size({"width": 390, "height": 844})
    if page.evaluate("document.documentElement.scrollWidth > window.innerWidth"):
        findings.append(Finding("/", "the page scrolls sideways at 390 pixels wide"))
    assert not findings, "\n".join(f"{f.path}: {f.text}" for f in findings)
