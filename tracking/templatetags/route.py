"""``{% load route %}``, ``{% route 'name' arg … %}``: Django's ``{% url %}`` through fast_reverse.

The same URLs as ``{% url %}`` (tracking/tests/test_reversing.py renders both), under a name of
its own so that ``{% url %}`` always means Django's tag. Used only where the benchmark showed a
goal needs it: the project list, one link a row (the commit that kept it gives the numbers).
Everywhere else, write ``{% url %}``.
"""

from django import template
from django.template import defaulttags
from django.urls import NoReverseMatch
from django.utils.html import conditional_escape

from tracking.reversing import fast_reverse

register = template.Library()


class RouteNode(defaulttags.URLNode):
    def render(self, context):
        if self.kwargs:
            return super().render(context)
        args = [arg.resolve(context) for arg in self.args]
        try:  # as Django's tag does
            current_app = context.request.current_app
        except AttributeError:
            try:
                current_app = context.request.resolver_match.namespace
            except AttributeError:
                current_app = None
        url = ""
        try:
            url = fast_reverse(self.view_name.resolve(context), args, current_app=current_app)
        except NoReverseMatch:
            if self.asvar is None:
                raise
        if self.asvar:
            context[self.asvar] = url
            return ""
        return conditional_escape(url) if context.autoescape else url


@register.tag
def route(parser, token):
    """``{% route 'projects:detail' project.pk %}``: what ``{% url %}`` gives, with the same syntax."""
    node = defaulttags.url(parser, token)
    return RouteNode(node.view_name, node.args, node.kwargs, node.asvar)
