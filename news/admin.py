"""News in the admin: looked up and read here. Writing, approval and the sanitising of the
formatted text happen on the news pages, so nothing unsanitised is published from here."""

from django.contrib import admin
from django.urls import reverse

from news.models import News, NewsAttachment, NewsImage
from tracking.admin import ReadOnlyAdmin, ReadOnlyInline


class NewsImageInline(ReadOnlyInline):
    model = NewsImage
    fields = ["caption"]
    show_change_link = False


class NewsAttachmentInline(ReadOnlyInline):
    model = NewsAttachment
    fields = ["name", "size"]
    show_change_link = False


@admin.register(News)
class NewsAdmin(ReadOnlyAdmin):
    list_display = ["title", "category", "unit", "status", "publish_date", "pinned", "author", "updated_at"]
    list_filter = ["status", "category", "pinned", "unit__agency"]
    list_select_related = ["unit", "author"]
    search_fields = ["title", "summary", "unit__name_th", "unit__short_name"]
    ordering = ["-updated_at"]
    exclude = ["cover"]
    inlines = [NewsImageInline, NewsAttachmentInline]

    def view_on_site(self, obj):
        return reverse("news:detail", args=[obj.pk])
