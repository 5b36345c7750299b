"""House rules that review found broken once, as tests (see /work/shared/hooks/house_rules.py)."""

import ast
import re
from pathlib import Path

from django.conf import settings

EAGER = {"gettext", "ngettext", "pgettext", "npgettext"}
SKIPPED_DIRS = {".venv", "node_modules", "staticfiles", "migrations", "tests", "media", ".pgdata"}


def _our_python_files():
    for path in Path(settings.BASE_DIR).rglob("*.py"):
        relative = path.relative_to(settings.BASE_DIR)
        if SKIPPED_DIRS & set(relative.parts[:-1]) or relative.name.startswith("test_"):
            continue
        yield relative, path


def _eager_names(tree) -> set[str]:
    """Local names bound to the non-lazy gettext functions, and names of the translation module."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation":
            names |= {alias.asname or alias.name for alias in node.names if alias.name in EAGER}
    return names


def _module_names(tree) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "django.utils":
            names |= {alias.asname or alias.name for alias in node.names if alias.name == "translation"}
    return names


def import_time_gettext_calls(source: str) -> list[int]:
    """Lines where a non-lazy gettext runs when the module is imported: at module level, in a class
    body, a decorator or a default argument value (function bodies and lambdas run later)."""
    tree = ast.parse(source)
    eager, modules = _eager_names(tree), _module_names(tree)
    found = []

    def is_eager(call: ast.Call) -> bool:
        func = call.func
        if isinstance(func, ast.Name):
            return func.id in eager
        return (
            isinstance(func, ast.Attribute)
            and func.attr in EAGER
            and isinstance(func.value, ast.Name)
            and func.value.id in modules
        )

    def visit(node):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for part in [*node.decorator_list, *node.args.defaults, *node.args.kw_defaults]:
                if part is not None:
                    visit(part)
            return  # the body runs when called
        if isinstance(node, ast.Lambda):
            return
        if isinstance(node, ast.Call) and is_eager(node):
            found.append(node.lineno)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def test_the_check_finds_import_time_gettext():
    source = (
        "from django.utils import translation\n"
        "from django.utils.translation import gettext as _\n"
        "TABS = [('a', _('Tab'))]\n"
        "class Form:\n"
        "    title = _('Title')\n"
        "    class Meta:\n"
        "        labels = {'x': translation.gettext('X')}\n"
        "def view(request, label=_('Default')):\n"
        "    return _('fine at run time')\n"
        "LATER = lambda: _('fine too')\n"
    )
    assert import_time_gettext_calls(source) == [3, 5, 7, 8]


def test_no_label_is_translated_at_import_time_with_the_non_lazy_gettext():
    """A label made at import time with gettext is frozen in the language of whoever first made the
    process import the module, for everyone it serves afterwards: use gettext_lazy there."""
    found = [
        f"{relative}:{line}"
        for relative, path in _our_python_files()
        for line in import_time_gettext_calls(path.read_text(encoding="utf-8"))
    ]
    assert found == []


def test_no_redirect_goes_to_a_posted_or_queried_next_unchecked():
    """A ``next`` from the request goes through tracking.redirects (this site only)."""
    unchecked = re.compile(r"redirect\(\s*request\.(POST|GET)(\.get\(|\[)\s*['\"]next")
    found = [
        f"{relative}:{path.read_text(encoding='utf-8')[: m.start()].count(chr(10)) + 1}"
        for relative, path in _our_python_files()
        for m in unchecked.finditer(path.read_text(encoding="utf-8"))
    ]
    assert found == []
