"""Writes of news: checked uploads, the approval flow, corrections and withdrawal."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import access
from accounts.notifications import Kind, notify
from news.models import News, NewsAttachment, NewsImage
from tracking.images import clean_photo
from tracking.uploads import check_document, save_with_files


def news_save(*, by, news: News | None, fields: dict, cover=None) -> News:
    if news is None:
        if not access.may_write_news(by):
            raise PermissionDenied
        news = News(author=by, unit=by.org_unit)
    elif not access.can(by, access.CHANGE, news):
        raise PermissionDenied
    for name, value in fields.items():
        setattr(news, name, value)
    clean = clean_photo(cover) if cover is not None else None
    # Checked before the cover is written, so a refused item leaves no file behind.
    news.full_clean(exclude=["cover"])
    save_with_files(news, {"cover": ("cover.jpg", clean.image)} if clean is not None else {})
    return news


def news_submit(*, by, news: News) -> News:
    """Send for approval (a district office) or publish (everyone else who may write)."""
    if not access.can(by, access.CHANGE, news):
        raise PermissionDenied
    with transaction.atomic():
        if access.news_needs_approval(by):
            news.status = News.Status.PENDING
        else:
            news.status = News.Status.PUBLISHED
            news.publish_date = news.publish_date or timezone.localdate()
        news.rejection_reason = ""
        news.save()
    return news


def news_decide(*, by, news: News, approve: bool, reason: str = "") -> News:
    with transaction.atomic():
        locked = News.objects.select_for_update(of=("self",)).get(pk=news.pk)
        if not access.can(by, access.CONFIRM, locked):
            raise PermissionDenied
        if approve:
            locked.status = News.Status.PUBLISHED
            locked.publish_date = locked.publish_date or timezone.localdate()
            locked.rejection_reason = ""
        else:
            if not (reason or "").strip():
                raise ValidationError(_("Give the reason for sending it back."))
            locked.status = News.Status.REJECTED
            locked.rejection_reason = reason.strip()
        locked.decided_by = by
        locked.decided_at = timezone.now()
        locked.save()
        if locked.author_id and locked.author_id != by.pk:
            notify(
                [locked.author],
                Kind.NEWS_APPROVED if approve else Kind.NEWS_REJECTED,
                url=reverse("news:detail", args=[locked.pk]),
                params={"title": locked.title, "reason": locked.rejection_reason},
                event_key=f"news_decided:{locked.pk}:{locked.decided_at.isoformat()}",
            )
    return locked


def news_archive(*, by, news: News) -> News:
    """Take a published item off the public list (it stays, with its history, for those who see it)."""
    if not access.may_archive_news(by, news):
        raise PermissionDenied
    news.status = News.Status.ARCHIVED
    news.save(update_fields=["status", "updated_at"])
    return news


def news_delete(*, by, news: News) -> None:
    """Delete an item with its photos and attachments (the audit trail keeps what it said)."""
    if not access.can(by, access.DELETE, news):
        raise PermissionDenied
    news.delete()


def attachment_add(*, by, news: News, upload) -> NewsAttachment:
    if not access.can(by, access.CHANGE, news):
        raise PermissionDenied
    check_document(upload)
    attachment = NewsAttachment(news=news, name=upload.name[:200], size=upload.size)
    save_with_files(attachment, {"file": (upload.name, upload)})
    return attachment


def image_add(*, by, news: News, upload, caption="") -> NewsImage:
    if not access.can(by, access.CHANGE, news):
        raise PermissionDenied
    clean = clean_photo(upload)
    image = NewsImage(news=news, caption=caption)
    save_with_files(image, {"image": ("image.jpg", clean.image), "thumbnail": ("thumb.jpg", clean.thumbnail)})
    return image
