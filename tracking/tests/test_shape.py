"""The project's shape: the shell (tracking/) knows no domain app, and the apps know only what they must."""

import ast
from pathlib import Path

from django.conf import settings
from django.urls import resolve

DOMAIN_APPS = {"accounts", "projects", "progress", "reports", "news", "workload", "bench"}
BASE = Path(settings.BASE_DIR)
LOADERS = {"import_module", "import_string", "__import__"}


def imported_modules(path: Path):
    """(line, module) of every import in the file, nested ones and import_module("…") included."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            yield from ((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, node.module
        elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name in LOADERS and isinstance(node.args[0].value, str):
                yield node.lineno, node.args[0].value


def imports_of(package: str, wanted: set[str]) -> list[str]:
    found = []
    for path in sorted((BASE / package).rglob("*.py")):
        relative = path.relative_to(BASE)
        if "tests" in relative.parts:
            continue
        for line, module in imported_modules(path):
            if module.split(".")[0] in wanted:
                found.append(f"{relative}:{line} imports {module}")
    return found


def test_the_shell_imports_no_domain_app():
    assert imports_of("tracking", DOMAIN_APPS) == []


def test_the_scan_sees_nested_and_dynamic_imports(tmp_path):
    module = tmp_path / "sample.py"
    module.write_text(
        "import importlib\n"
        "def f():\n"
        "    from accounts import access\n"
        "    importlib.import_module('news.models')\n",
        encoding="utf-8",
    )
    assert [name for _line, name in imported_modules(module)] == ["importlib", "accounts", "news.models"]


def test_workload_does_not_import_projects():
    assert imports_of("workload", {"projects", "progress", "reports"}) == []


def test_the_coordination_centre_pages_are_served_by_their_own_package():
    for url in ("/workload/registry/", "/workload/toolkits/", "/workload/about/", "/workload/faq/"):
        assert resolve(url).func.__module__ == "workload.centre.views", url
