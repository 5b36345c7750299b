"""{% url %} is Django's own tag in every template."""


def test_url_tag_is_djangos_own_in_every_template():
    """No template library may shadow {% url %}: a template that loads one would change its meaning."""
    from django.template import engines

    builtins_and_libraries = engines["django"].engine.template_libraries
    assert [name for name, library in builtins_and_libraries.items() if "url" in library.tags] == []
