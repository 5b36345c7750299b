"""fast_reverse and ``{% route %}`` give exactly Django's URLs, for every URL of the project."""

import itertools

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import NoReverseMatch, reverse, set_script_prefix

from tracking.reversing import fast_reverse
from tracking.tests.routes import all_routes

SAMPLES = [7, 0, -3, "12", "007", "DLA-D5025", "units", "a b", "ก.ข", "x/y", True, None]


def outcome(function, name, args):
    try:
        return function(name, args=args)
    except NoReverseMatch:
        return NoReverseMatch


NAMED = [route for route in all_routes() if ":" in route.name or route.params]


@pytest.mark.parametrize("route", NAMED, ids=lambda route: route.name)
def test_same_url_as_reverse_for_every_route(route):
    for args in itertools.islice(itertools.product(SAMPLES, repeat=len(route.params)), 200):
        expected = outcome(reverse, route.name, list(args))
        # twice: the first call builds the route's template, the second only fills it in
        assert outcome(fast_reverse, route.name, list(args)) == expected, args
        assert outcome(fast_reverse, route.name, list(args)) == expected, args


def test_real_argument_replaces_only_the_marker():
    assert fast_reverse("workload:status", [2570, "DLA-D5025"]) == "/workload/2570/office/DLA-D5025/"
    # arguments that look like the markers the template was built with
    for args in ([973100486, "973101486"], [2571, "zqmark1x"], [973101486, 973100486]):
        assert fast_reverse("workload:status", args) == reverse("workload:status", args=args)


def test_follows_the_url_configuration():
    assert fast_reverse("projects:detail", [5]) == "/projects/5/"
    set_script_prefix("/tracking/")
    try:
        assert fast_reverse("projects:detail", [5]) == "/tracking/projects/5/"
    finally:
        set_script_prefix("/")


def test_route_tag_matches_django_url_tag():
    source = (
        "{% url 'projects:detail' pk %}|{% url 'workload:status' fy code %}|"
        "{% url 'projects:activity_rows' pk 3 'units' %}|{% url 'projects:detail' pk=pk %}|"
        "{% url 'workload:status' fy 'a b' as spaced %}{{ spaced }}|"
        "{% url 'projects:detail' 'x y' as nothing %}[{{ nothing }}]"
    )
    context = {"pk": 5, "fy": 2570, "code": "DLA-D5025"}
    request = RequestFactory().get("/")
    django_tag = Template(source).render(Context(context))
    route_tag = Template("{% load route %}" + source.replace("{% url ", "{% route ")).render(
        Context({**context, "request": request})
    )
    assert route_tag == django_tag
    assert route_tag.startswith("/projects/5/|/workload/2570/office/DLA-D5025/|")


def test_route_tag_raises_like_django_tag():
    with pytest.raises(NoReverseMatch):
        Template("{% load route %}{% route 'projects:detail' 'x y' %}").render(Context({}))


def test_url_tag_is_djangos_own_in_every_template():
    """No template library may shadow {% url %}: a template that loads one would change its meaning."""
    from django.template import engines

    builtins_and_libraries = engines["django"].engine.template_libraries
    assert [name for name, library in builtins_and_libraries.items() if "url" in library.tags] == []


def test_route_tag_is_used_only_on_the_project_list():
    """Kept where the benchmark showed a goal needs it; every other page writes {% url %}."""
    from django.conf import settings

    users = sorted(
        str(path.relative_to(settings.BASE_DIR))
        for path in (settings.BASE_DIR / "templates").rglob("*.html")
        if "{% route " in path.read_text(encoding="utf-8") or "load route" in path.read_text(encoding="utf-8")
    )
    assert users == ["templates/projects/index.html"]
