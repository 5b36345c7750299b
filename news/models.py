"""News and announcements, with approval before a district office's item is published."""

import pghistory
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import OrgUnit
from accounts.querysets import RestrictedQuerySet
from tracking.audit import audited
from tracking.html import format_text


class NewsQuerySet(RestrictedQuerySet):
    def published(self):
        return self.filter(status=News.Status.PUBLISHED)

    def for_list(self):
        return self.select_related("unit").order_by("-pinned", "-publish_date", "-pk")

    def waiting_for(self, user):
        """What waits for this approver: sent items they may decide on (a super admin may decide
        on any, but only sent ones wait). The approval queue and the home page's task."""
        from accounts import access

        return self.visible_to(user, access.CONFIRM).filter(status=News.Status.PENDING)


@pghistory.track(*audited())
class News(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PENDING = "pending", _("Waiting for the province")
        PUBLISHED = "published", _("Published")
        REJECTED = "rejected", _("Sent back")
        ARCHIVED = "archived", _("Archived")

    class Category(models.TextChoices):
        PRESS = "press", _("Press release")
        ACTIVITY = "activity", _("Activities")
        ANNOUNCEMENT = "announcement", _("Announcement")
        LOCAL = "local", _("District local administration news")

    title = models.CharField(_("title"), max_length=300)
    summary = models.CharField(_("summary"), max_length=600)
    body = models.TextField(
        _("text"),
        max_length=50000,
        help_text=_(
            "Plain text: a blank line starts a new paragraph; **bold**, _italic_; lines beginning with "
            "- or 1. make a list; web addresses become links."
        ),
    )
    cover = models.ImageField(_("cover image"), upload_to="news/covers/%Y/", blank=True)
    category = models.CharField(_("category"), max_length=14, choices=Category.choices)
    unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="news", verbose_name=_("publishing unit")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="news_written",
        verbose_name=_("author"),
    )
    publish_date = models.DateField(_("publish date"), null=True, blank=True)
    pinned = models.BooleanField(_("pinned on the home page"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    rejection_reason = models.TextField(_("reason for sending back"), blank=True, max_length=2000)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved or sent back by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last saved"), auto_now=True)

    objects = NewsQuerySet.as_manager()

    class Meta:
        verbose_name = _("news item")
        verbose_name_plural = _("news")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(rejection_reason=""), name="news_rejection_reason"
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(publish_date__isnull=False), name="news_published_dated"
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def body_html(self):
        return format_text(self.body)


class NewsImage(models.Model):
    news = models.ForeignKey(
        News, verbose_name=_("news item"), on_delete=models.CASCADE, related_name="images"
    )
    image = models.ImageField(_("image"), upload_to="news/images/%Y/")
    thumbnail = models.ImageField(_("thumbnail"), upload_to="news/thumbs/%Y/")
    caption = models.CharField(_("caption"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("news image")
        verbose_name_plural = _("news images")

    def __str__(self):
        return self.caption or self.image.name


class NewsAttachment(models.Model):
    news = models.ForeignKey(
        News, verbose_name=_("news item"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to="news/files/%Y/")
    name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size (bytes)"))

    class Meta:
        verbose_name = _("news attachment")
        verbose_name_plural = _("news attachments")

    def __str__(self):
        return self.name
