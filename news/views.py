from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts import access
from news import services
from news.forms import AttachmentForm, ImageForm, NewsForm, SendBackForm
from news.models import News, NewsAttachment, NewsImage
from tracking.history import object_history


@login_not_required
def index(request):
    """The public list: published news, searchable and by category."""
    items = News.objects.published().for_list()
    q = request.GET.get("q", "").strip()[:100]
    category = request.GET.get("category", "")
    if q:
        items = items.filter(Q(title__icontains=q) | Q(summary__icontains=q))
    if category in News.Category.values:
        items = items.filter(category=category)
    page = Paginator(items, 12).get_page(request.GET.get("page"))
    signed_in = request.user.is_authenticated
    return render(
        request,
        "news/index.html",
        {"page": page, "q": q, "category": category, "categories": News.Category.choices,
         "may_write": access.may_write_news(request.user) if signed_in else False,
         "waiting": _waiting_for(request.user) if signed_in else None},
    )  # fmt: skip


def _waiting_for(user) -> int | None:
    """How many items wait for this approver's decision (None for those who do not approve)."""
    if not access.may_approve_news(user):
        return None
    return _queue(user).count()


def _queue(user):
    """What waits for this approver: sent items they may decide on (a super admin may decide on
    any, but only sent ones wait)."""
    return News.objects.waiting_for(user)


def _visible(request, pk) -> News:
    queryset = News.objects.published()
    if request.user.is_authenticated:
        queryset = News.objects.visible_to(request.user)
    return get_object_or_404(queryset.select_related("unit", "author"), pk=pk)


@login_not_required
def detail(request, pk):
    item = _visible(request, pk)
    context = {
        "item": item,
        "images": item.images.all(),
        "attachments": item.attachments.all(),
        "may_change": request.user.is_authenticated and access.can(request.user, access.CHANGE, item),
        "may_decide": request.user.is_authenticated and access.can(request.user, access.CONFIRM, item),
        "may_archive": request.user.is_authenticated and access.may_archive_news(request.user, item),
        "may_delete": request.user.is_authenticated and access.can(request.user, access.DELETE, item),
        "send_back_form": SendBackForm(),
        "attachment_form": AttachmentForm(),
        "image_form": ImageForm(),
    }
    return render(request, "news/detail.html", context)


@login_not_required
def attachment_file(request, pk):
    attachment = get_object_or_404(NewsAttachment, pk=pk)
    _visible(request, attachment.news_id)
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.name)


@login_not_required
def image_file(request, pk, size):
    image = get_object_or_404(NewsImage, pk=pk)
    _visible(request, image.news_id)
    field = image.thumbnail if size == "thumb" else image.image
    return FileResponse(field.open("rb"), content_type="image/jpeg")


@login_not_required
def cover_file(request, pk):
    item = _visible(request, pk)
    if not item.cover:
        raise Http404
    return FileResponse(item.cover.open("rb"), content_type="image/jpeg")


def mine(request):
    if not access.may_write_news(request.user):
        raise PermissionDenied
    items = News.objects.filter(author=request.user).select_related("unit").order_by("-updated_at")
    return render(request, "news/mine.html", {"items": items, "waiting": _waiting_for(request.user)})


def edit(request, pk=None):
    item = get_object_or_404(News.objects.visible_to(request.user), pk=pk) if pk else None
    if item is not None and not access.can(request.user, access.CHANGE, item):
        raise PermissionDenied
    if item is None and not access.may_write_news(request.user):
        raise PermissionDenied
    may_pin = not access.news_needs_approval(request.user)
    form = NewsForm(request.POST or None, request.FILES or None, instance=item, may_pin=may_pin)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields if name in form.fields}
        try:
            saved = services.news_save(
                by=request.user, news=item, fields=fields, cover=form.cleaned_data["cover_upload"]
            )
        except ValidationError as error:
            # The photo check says one thing about the cover; the model's checks name their fields.
            form.add_error(None if hasattr(error, "error_dict") else "cover_upload", error)
        else:
            if saved.status == News.Status.PUBLISHED:
                messages.success(request, _("Correction saved: the published item shows it now."))
            else:
                messages.success(request, _("Saved as a draft. Submit it when it is ready."))
            return redirect("news:detail", pk=saved.pk)
    return render(request, "news/edit.html", {"form": form, "item": item})


@require_POST
def submit(request, pk):
    item = get_object_or_404(News.objects.visible_to(request.user), pk=pk)
    item = services.news_submit(by=request.user, news=item)
    if item.status == News.Status.PENDING:
        messages.success(request, _("Sent to the province for approval."))
    else:
        messages.success(request, _("Published."))
    return redirect("news:detail", pk=pk)


@require_POST
def archive(request, pk):
    item = get_object_or_404(News.objects.visible_to(request.user).select_related("unit"), pk=pk)
    services.news_archive(by=request.user, news=item)
    messages.success(request, _("Withdrawn: it is no longer on the public list."))
    return redirect("news:detail", pk=pk)


@require_http_methods(["GET", "POST"])
def delete(request, pk):
    """Ask, then delete: the page names the item and what goes with it."""
    item = get_object_or_404(News.objects.visible_to(request.user).select_related("unit"), pk=pk)
    if not access.can(request.user, access.DELETE, item):
        raise PermissionDenied
    if request.method == "POST":
        services.news_delete(by=request.user, news=item)
        messages.success(request, _("Deleted."))
        return redirect("news:mine" if item.author_id == request.user.pk else "news:index")
    counts = {"images": item.images.count(), "attachments": item.attachments.count()}
    return render(request, "news/delete.html", {"item": item, **counts})


def history(request, pk):
    """Who changed the item, when, from which page and what (for those who may change or decide on it)."""
    item = get_object_or_404(News.objects.visible_to(request.user), pk=pk)
    if not (access.can(request.user, access.CHANGE, item) or access.may_archive_news(request.user, item)):
        raise PermissionDenied
    return object_history(
        request, item, back=reverse("news:detail", args=[pk]), crumbs=[(_("News"), reverse("news:index"))]
    )


@require_POST
def add_file(request, pk, kind):
    item = get_object_or_404(News.objects.visible_to(request.user), pk=pk)
    if kind not in ("attachment", "image"):
        raise Http404
    if not access.can(request.user, access.CHANGE, item):
        raise PermissionDenied
    form = (AttachmentForm if kind == "attachment" else ImageForm)(request.POST, request.FILES)
    if not form.is_valid():
        if not request.FILES:
            messages.error(request, _("Choose a file to add."))
        for name, errors in form.errors.items():
            if request.FILES or name not in ("file", "image"):
                messages.error(request, f"{form.fields[name].label}: {' '.join(errors)}")
        return redirect("news:detail", pk=pk)
    try:
        if kind == "attachment":
            services.attachment_add(by=request.user, news=item, upload=form.cleaned_data["file"])
        else:
            services.image_add(
                by=request.user,
                news=item,
                upload=form.cleaned_data["image"],
                caption=form.cleaned_data["caption"],
            )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("File added."))
    return redirect("news:detail", pk=pk)


def queue(request):
    if not access.may_approve_news(request.user):
        raise PermissionDenied
    items = _queue(request.user).select_related("unit", "author").order_by("created_at")
    return render(request, "news/queue.html", {"items": items})


@require_POST
def decide(request, pk, decision):
    item = get_object_or_404(News.objects.visible_to(request.user), pk=pk)
    if decision not in ("approve", "send-back"):
        raise Http404
    form = SendBackForm(request.POST)
    reason = form.data.get("reason", "")
    if decision == "send-back" and reason.strip() and not form.is_valid():  # e.g. too long
        messages.error(request, " ".join(form.errors["reason"]))
        return redirect("news:detail", pk=pk)
    try:
        services.news_decide(by=request.user, news=item, approve=decision == "approve", reason=reason)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("news:detail", pk=pk)
    messages.success(request, _("Published.") if decision == "approve" else _("Sent back to the author."))
    return redirect("news:queue")
