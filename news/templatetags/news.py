from django import template

from news.models import News

register = template.Library()


@register.inclusion_tag("news/_list.html")
def latest_news(count=5):
    """The newest published items, pinned first (the home page uses it without importing news)."""
    return {"items": News.objects.published().for_list()[:count]}
