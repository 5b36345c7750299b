"""Load demonstration data. Idempotent; refused unless DEMO or DEBUG is on.

Users come from here; each app may add its own demo data in a ``demo`` module
with a ``load(stdout)`` function, found by name so that accounts never
imports the apps built on it.
"""

import importlib
import importlib.util

from allauth.account.models import EmailAddress
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.models import OrgUnit, User
from accounts.roles import ROLE_FUNDING_SOURCES, Role

DEFAULT_PASSWORD = "Tracking@2569"  # noqa: S105 - demo installs only  # nosec B105

# username (= role code, "_b" for a second province or unit), role, unit code,
# first name, last name, position, mobile
DEMO_USERS = [
    ("super_admin", Role.SUPER_ADMIN, "ALRO-ICT", "สมชาย", "ใจดี", "นักวิชาการคอมพิวเตอร์ชำนาญการพิเศษ", "0811110001"),
    ("admin_all", Role.ADMIN_ALL, "ALRO-KTP", "ศิริพร", "วงศ์สวัสดิ์", "นักวิเคราะห์นโยบายและแผนชำนาญการ", "0811110002"),
    ("admin_fund", Role.ADMIN_FUND, "ALRO-SBT", "ประเสริฐ", "แก้วมณี", "นักวิชาการเงินและบัญชีชำนาญการ", "0811110003"),
    ("finance_budget", Role.FINANCE_BUDGET, "ALRO-SBK", "มาลี", "ทองดี", "นักวิชาการเงินและบัญชีปฏิบัติการ", "0811110004"),
    ("finance_fund", Role.FINANCE_FUND, "ALRO-SBT", "สุรชัย", "บุญมา", "เจ้าพนักงานการเงินและบัญชีชำนาญงาน", "0811110005"),
    ("bureau_user", Role.BUREAU_USER, "ALRO-SPP", "อรุณี", "พิทักษ์ไทย", "นักวิชาการปฏิรูปที่ดินชำนาญการ", "0811110006"),
    ("bureau_user_b", Role.BUREAU_USER, "ALRO-SJT", "ธนากร", "ศรีวิชัย", "นักวิชาการปฏิรูปที่ดินปฏิบัติการ", "0811110007"),
    ("province_user", Role.PROVINCE_USER, "ALRO-P50", "กมล", "เชียงคำ", "นักวิชาการปฏิรูปที่ดินชำนาญการ", "0811110008"),
    ("province_user_b", Role.PROVINCE_USER, "ALRO-P57", "วันเพ็ญ", "คำแสน", "นักวิชาการปฏิรูปที่ดินปฏิบัติการ", "0811110009"),
    ("report_viewer", Role.REPORT_VIEWER, "ALRO-SWP", "ปิยะ", "รัตนกุล", "ผู้อำนวยการสำนักวิชาการและแผนงาน", "0811110010"),
    ("district_recorder", Role.DISTRICT_RECORDER, "DLA-D5001", "อนุชา", "ดวงแก้ว", "นักวิชาการส่งเสริมการปกครองท้องถิ่นชำนาญการ", "0811110011"),
    ("district_recorder_b", Role.DISTRICT_RECORDER, "DLA-D5701", "สายฝน", "อินทร์แก้ว", "นักวิชาการส่งเสริมการปกครองท้องถิ่นปฏิบัติการ", "0811110012"),
    ("province_confirmer", Role.PROVINCE_CONFIRMER, "DLA-P50", "วิไลวรรณ", "สุขเจริญ", "หัวหน้ากลุ่มงานส่งเสริมและพัฒนาท้องถิ่น", "0811110013"),
    ("province_confirmer_b", Role.PROVINCE_CONFIRMER, "DLA-P57", "ชาญชัย", "ปัญญาดี", "หัวหน้ากลุ่มงานส่งเสริมและพัฒนาท้องถิ่น", "0811110014"),
    ("province_sso_admin", Role.PROVINCE_SSO_ADMIN, "DLA-P50", "นิภา", "จันทร์เพ็ญ", "นักวิชาการคอมพิวเตอร์ชำนาญการ", "0811110015"),
    ("province_sso_admin_b", Role.PROVINCE_SSO_ADMIN, "DLA-P57", "เกียรติศักดิ์", "มั่นคง", "นักวิชาการคอมพิวเตอร์ปฏิบัติการ", "0811110016"),
    ("dla_admin", Role.DLA_ADMIN, "DLA-PSD", "พรทิพย์", "ศักดิ์ศรี", "นักพัฒนาระบบราชการชำนาญการพิเศษ", "0811110017"),
]  # fmt: skip


class Command(BaseCommand):
    help = "Create one demo user per role (and more demo data as the apps grow). Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument("--password", default=DEFAULT_PASSWORD, help="password for every demo user")

    def handle(self, *args, password, **options):
        if not (settings.DEMO or settings.DEBUG):
            raise CommandError("seed_demo runs only on a demo or development install (DEMO=1 or DEBUG=1).")
        units = {unit.code: unit for unit in OrgUnit.objects.filter(code__in={row[2] for row in DEMO_USERS})}
        groups = {group.name: group for group in Group.objects.filter(name__in=Role.values)}
        with transaction.atomic():
            for username, role, unit_code, first, last, position, phone in DEMO_USERS:
                user, _created = User.objects.get_or_create(username=username)
                user.first_name, user.last_name = first, last
                user.position, user.phone = position, phone
                user.email = f"{username}@demo.invalid"
                user.org_unit = units[unit_code]
                user.funding_sources = [str(s) for s in ROLE_FUNDING_SOURCES.get(role, [])]
                # The DLA's central admins reopen confirmed submissions in the admin as well.
                user.is_staff = role in (Role.SUPER_ADMIN, Role.DLA_ADMIN)
                user.is_superuser = role == Role.SUPER_ADMIN
                user.is_active = True
                user.set_password(password)
                user.save()
                # Demo addresses (which receive nothing) count as verified, so the demo shows the
                # features that mail a user; real addresses are verified by their owners.
                EmailAddress.objects.update_or_create(
                    user=user, email=user.email, defaults={"verified": True, "primary": True}
                )
                user.groups.set([groups[role]])
        for config in apps.get_app_configs():
            module_name = f"{config.name}.demo"
            if config.name != "accounts" and importlib.util.find_spec(module_name) is not None:
                importlib.import_module(module_name).load(self.stdout)
        self.stdout.write(f"Demo logins (password for all: {password}):")
        for username, role, unit_code, *_rest in DEMO_USERS:
            self.stdout.write(f"  {username:<22} {Role(role).label:<32} {units[unit_code].short_name}")
