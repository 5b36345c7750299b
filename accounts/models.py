import pghistory
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth.models import AbstractUser
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce, Lower, NullIf
from django.utils.translation import gettext_lazy as _

from accounts.querysets import (
    AccessRequestQuerySet,
    NotificationQuerySet,
    RestrictedUserManager,
    UnitQuerySet,
)
from tracking.audit import audited


class SortKeyField(models.CharField):
    """Thai dictionary-order key, compared byte by byte (see tracking.thaisort)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 400)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("db_collation", "C")
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)


class FundingSource(models.TextChoices):
    """Where a project's money comes from; ALRO admins and finance users serve one or both."""

    BUDGET_ACT = "budget_act", _("Budget act")
    LAND_REFORM_FUND = "land_reform_fund", _("Land Reform Fund")


class Agency(models.TextChoices):
    ALRO = "alro", _("Agricultural Land Reform Office")
    DLA = "dla", _("Department of Local Administration")


class SortedByNameQuerySet(models.QuerySet):
    def in_thai_order(self):
        return self.order_by("name_sort", "code")


class ThaiNamed(models.Model):
    """A row with a Thai name that lists sort in dictionary order (see tracking.thaisort)."""

    name_sort = SortKeyField()

    class Meta:
        abstract = True

    def __str__(self):
        return self.name_th


class Province(ThaiNamed):
    """One of the 77 provinces, with the Interior Ministry's (DOPA) 2-digit code."""

    code = models.CharField(_("code"), max_length=2, unique=True)
    name_th = models.CharField(_("name (Thai)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    is_bangkok = models.BooleanField(_("Bangkok"), default=False, help_text=_("Not under the DLA."))

    objects = SortedByNameQuerySet.as_manager()

    class Meta:
        verbose_name = _("province")
        verbose_name_plural = _("provinces")
        ordering = ["name_sort", "code"]
        constraints = [
            models.CheckConstraint(condition=Q(code__regex=r"^[0-9]{2}$"), name="province_code_two_digits"),
        ]


class District(ThaiNamed):
    """An อำเภอ, or one of Bangkok's เขต, with its 4-digit DOPA code."""

    code = models.CharField(_("code"), max_length=4, unique=True)
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="districts", verbose_name=_("province")
    )
    name_th = models.CharField(_("name (Thai)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)

    objects = SortedByNameQuerySet.as_manager()

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        ordering = ["name_sort", "code"]
        constraints = [
            models.CheckConstraint(condition=Q(code__regex=r"^[0-9]{4}$"), name="district_code_four_digits"),
        ]

    @property
    def is_khet(self) -> bool:
        return self.code.startswith("10")


@pghistory.track(*audited(), exclude=["name_sort"])
class OrgUnit(ThaiNamed):
    """A unit of an agency: the agency itself, a central bureau, a provincial or district office."""

    class Kind(models.TextChoices):
        AGENCY = "agency", _("Agency")
        CENTRAL = "central", _("Central bureau, division or centre")
        PROVINCIAL = "provincial", _("Provincial office")
        DISTRICT = "district", _("District office")

    agency = models.CharField(_("agency"), max_length=8, choices=Agency.choices)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent unit"),
    )
    code = models.CharField(_("code"), max_length=20, unique=True)
    name_th = models.CharField(_("name (Thai)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    short_name = models.CharField(_("abbreviation"), max_length=40, blank=True)
    province = models.ForeignKey(
        Province,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="units",
        verbose_name=_("province"),
    )
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="units",
        verbose_name=_("district"),
    )
    is_active = models.BooleanField(_("in use"), default=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation unit")
        verbose_name_plural = _("organisation units")
        ordering = ["name_sort", "code"]
        constraints = [
            # The agency is the root; every other unit hangs under a parent.
            models.CheckConstraint(
                condition=Q(kind="agency", parent__isnull=True)
                | (~Q(kind="agency") & Q(parent__isnull=False)),
                name="orgunit_only_agency_is_root",
            ),
            models.CheckConstraint(
                condition=~Q(kind="provincial") | Q(province__isnull=False, district__isnull=True),
                name="orgunit_provincial_has_province",
            ),
            models.CheckConstraint(
                condition=~Q(kind="district") | Q(province__isnull=False, district__isnull=False),
                name="orgunit_district_has_district",
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=["agency", "central"])
                | Q(province__isnull=True, district__isnull=True),
                name="orgunit_central_has_no_area",
            ),
            models.UniqueConstraint(
                fields=["agency", "province"],
                condition=Q(kind="provincial"),
                name="orgunit_one_provincial_office_per_agency_province",
            ),
            models.UniqueConstraint(
                fields=["agency", "district"],
                condition=Q(kind="district"),
                name="orgunit_one_district_office_per_agency_district",
            ),
        ]

    def __str__(self):
        """A unit's name where space is short: its abbreviation, or its Thai name when it has none
        (unit_name() is the same rule in SQL)."""
        return self.short_name or self.name_th


def unit_name(path: str = "") -> Coalesce:
    """OrgUnit.__str__ in SQL, for the unit at ``path`` (e.g. ``"submission__office__"``): its
    abbreviation, or its Thai name when the abbreviation is blank."""
    return Coalesce(NullIf(models.F(f"{path}short_name"), models.Value("")), models.F(f"{path}name_th"))


@pghistory.track(*audited(), exclude=["password", "last_login"])
class User(AbstractUser):
    """A person who signs in: a home unit, roles (groups) and, for ALRO finance and admins, money sources."""

    org_unit = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("unit"),
    )
    funding_sources = ArrayField(
        models.CharField(max_length=20, choices=FundingSource.choices),
        default=list,
        blank=True,
        verbose_name=_("money sources"),
        help_text=_("For ALRO admins and central finance users: the money sources they manage."),
    )
    position = models.CharField(_("position"), max_length=200, blank=True)
    phone = models.CharField(_("mobile phone"), max_length=30, blank=True)
    email_notifications = models.BooleanField(
        _("notifications by e-mail"),
        default=True,
        help_text=_("Also send my notifications to my verified e-mail address."),
    )

    objects = RestrictedUserManager()

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")
        swappable = "AUTH_USER_MODEL"
        constraints = [
            models.CheckConstraint(
                condition=Q(funding_sources__contained_by=list(FundingSource.values)),
                name="user_funding_sources_known",
            ),
            # `email` is the verified address the system mails (accounts.services.user_email_set),
            # and a verified address is one person's.
            models.UniqueConstraint(
                Lower("email"),
                condition=~Q(email=""),
                name="user_email_unique_ci",
                violation_error_message=_("Another account already uses this e-mail address."),
            ),
        ]

    def __str__(self):
        return self.get_full_name() or self.username


@pghistory.track(*audited(), exclude=["password_hash"])
class AccessRequest(models.Model):
    """ลงทะเบียนขอเข้าใช้ระบบ: someone asks for an account with a unit and a role.

    The password is chosen by the applicant and kept only as a hash; approval
    creates the user with it, so no e-mail is needed to hand over a password.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    username = models.CharField(_("username"), max_length=150)
    password_hash = models.CharField(_("password (hashed)"), max_length=256, editable=False)
    first_name = models.CharField(_("first name"), max_length=150)
    last_name = models.CharField(_("last name"), max_length=150)
    position = models.CharField(_("position"), max_length=200)
    phone = models.CharField(_("mobile phone"), max_length=30)
    email = models.EmailField(_("e-mail"), blank=True)
    org_unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="access_requests", verbose_name=_("unit")
    )
    role = models.CharField(_("role"), max_length=30)
    funding_sources = ArrayField(
        models.CharField(max_length=20, choices=FundingSource.choices),
        default=list,
        blank=True,
        verbose_name=_("money sources"),
    )
    note = models.TextField(_("reason for the request"), blank=True, max_length=2000)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="access_decisions",
        verbose_name=_("decided by"),
    )
    decision_note = models.TextField(_("reason"), blank=True, max_length=2000)
    user = models.OneToOneField(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="access_request",
        verbose_name=_("account created"),
    )

    objects = AccessRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("access request")
        verbose_name_plural = _("access requests")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["username"],
                condition=Q(status="pending"),
                name="accessrequest_one_pending_per_username",
            ),
            models.CheckConstraint(
                condition=Q(status="pending", decided_at__isnull=True)
                | Q(status__in=["approved", "rejected"], decided_at__isnull=False),
                name="accessrequest_decided_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(decision_note=""),
                name="accessrequest_rejection_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.first_name} {self.last_name} ({self.username})"

    @property
    def role_label(self):
        from accounts.roles import Role

        return Role(self.role).label if self.role in Role.values else self.role


# Role grants and revocations: rows of the user–group table, added and removed.
pghistory.track(
    pghistory.InsertEvent("role.granted"),
    pghistory.DeleteEvent("role.revoked"),
    obj_field=None,
    model_name="UserRoleEvent",
    app_label="accounts",
)(User.groups.through)


@pghistory.track(*audited(), exclude=["extra_data", "last_login"], model_name="SocialAccountEvent")
class SocialAccountLink(SocialAccount):
    """An SSO identity linked to a user: allauth's table, as a proxy so its audit trail lives here.

    Links are made by the person signed in, or by an administrator in the admin; the trail says
    who linked or unlinked which subject id to which user, and when. The provider's claims
    (``extra_data``) and the last sign-in are left out: they change at every SSO sign-in.
    """

    class Meta:
        proxy = True
        verbose_name = _("SSO link")
        verbose_name_plural = _("SSO links")


class Notification(models.Model):
    """Something that happened that one person should know about: the bell in the header and its list.

    Stored as its kind and parameters, not as text: the message is written when it is shown, in the
    language of the page (accounts.notifications.message_of). One event notifies a person once: the
    caller names the event (``event_key``) and the database keeps it unique per recipient.
    """

    class Kind(models.TextChoices):
        REPORT_SENT_BACK = "report_sent_back", _("Report sent back")
        REPORT_ACCEPTED = "report_accepted", _("Report accepted")
        REPORT_DUE = "report_due", _("Monthly report due")
        NEWS_APPROVED = "news_approved", _("News approved")
        NEWS_REJECTED = "news_rejected", _("News sent back")
        ACCESS_REQUEST_DECIDED = "access_request_decided", _("Access request decided")
        DISTRICT_REOPENED = "district_reopened", _("District workload reopened")
        WORKLOAD_DUE = "workload_due", _("Workload recording closes soon")

    recipient = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("recipient")
    )
    kind = models.CharField(_("kind"), max_length=40, choices=Kind.choices)
    params = models.JSONField(_("details"), default=dict, blank=True)
    url = models.CharField(_("link"), max_length=500)
    event_key = models.CharField(_("event"), max_length=200)
    created_at = models.DateTimeField(_("created at"))
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "event_key"], name="notification_once_per_event"),
            # A link inside this site only: a path, never //host or /\host (browsers read both as a host).
            models.CheckConstraint(
                condition=Q(url__startswith="/") & ~Q(url__startswith="//") & ~Q(url__startswith="/\\"),
                name="notification_url_local_path",
            ),
        ]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notification_list"),
            models.Index(fields=["recipient"], condition=Q(read_at__isnull=True), name="notification_unread"),
        ]

    def __str__(self):
        return f"{self.recipient} {self.kind} {self.event_key}"
