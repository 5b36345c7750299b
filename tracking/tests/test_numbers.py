"""Numbers as Thai offices type them: Thai digits, thousands separators, spaces; one reader for all.

The guards at the end keep every number field of the project on that reader and every input a
text input: a type=number input empties ``๑๒`` in the browser before the server sees it.
"""

import importlib
import inspect
from decimal import Decimal

import pytest
from django import forms
from django.utils import translation

from tracking.forms import (
    DecimalInput,
    IntegerInput,
    NumberTypingError,
    ThaiDecimalField,
    ThaiIntegerField,
    normalise_number,
)


@pytest.fixture(autouse=True)
def thai():
    with translation.override("th"):
        yield


def messages(field, typed):
    with pytest.raises(forms.ValidationError) as refused:
        field.clean(typed)
    return " ".join(refused.value.messages)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("๑๒", "12"),
        ("1,234", "1234"),
        (" 12 ", "12"),
        ("\u00a012\u00a0", "12"),
        ("1 234 567", "1234567"),
        ("๑,๒๓๔.๕๐", "1234.50"),
        ("1,234,567.5", "1234567.5"),
        ("2,500 บาท", "2500"),
        ("\u22125", "-5"),
        ("12.5", "12.5"),
        ("1.234", "1.234"),  # three decimals, or a thousand: the decimal field decides
    ],
)
def test_the_reader_turns_thai_typing_into_plain_digits(typed, expected):
    assert normalise_number(typed) == expected


@pytest.mark.parametrize(
    ("typed", "meant"),
    [("1.234,50", "1,234.50"), ("1.234.567", "1,234,567"), ("๑.๒๓๔,๕", "1,234.5"), ("12,5", "12.5")],
)
def test_a_european_number_is_named_and_shown_the_thai_way(typed, meant):
    with pytest.raises(NumberTypingError) as refused:
        normalise_number(typed)
    assert "ตัวเลขแบบยุโรป" in str(refused.value)
    assert meant in str(refused.value)


def test_a_misplaced_comma_says_where_commas_go():
    with pytest.raises(NumberTypingError) as refused:
        normalise_number("12,34,5")
    assert "คั่นทุกสามหลัก" in str(refused.value)


@pytest.mark.parametrize("typed", ["๑๒", "12", " 12 ", "\u00a0๑๒", "12.0", "๑๒.๐"])
def test_whole_numbers_take_thai_digits_and_spaces(typed):
    assert ThaiIntegerField().clean(typed) == 12


def test_whole_numbers_take_thousands_separators():
    assert ThaiIntegerField().clean("1,234") == 1234
    assert ThaiIntegerField().clean("๑,๒๓๔") == 1234


def test_a_dot_between_thousands_in_a_whole_number_is_read_as_european():
    text = messages(ThaiIntegerField(), "1.234")
    assert "ตัวเลขแบบยุโรป" in text and "1,234" in text


def test_a_european_amount_gets_the_european_message_not_too_many_decimals():
    text = messages(ThaiDecimalField(max_digits=15, decimal_places=2), "1.234,50")
    assert "ตัวเลขแบบยุโรป" in text and "1,234.50" in text


def test_three_digits_after_the_dot_in_an_amount_say_both_readings():
    text = messages(ThaiDecimalField(max_digits=15, decimal_places=2), "1.234")
    assert "ทศนิยมได้ไม่เกิน 2 ตำแหน่ง" in text and "1,234" in text


def test_too_many_decimals_are_refused():
    assert "ทศนิยมได้ไม่เกิน" in messages(ThaiDecimalField(max_digits=15, decimal_places=2), "12.3456")


@pytest.mark.parametrize(
    "field", [ThaiIntegerField(min_value=0), ThaiDecimalField(min_value=0, decimal_places=2)]
)
def test_negative_numbers_are_refused_where_not_allowed(field):
    assert "ค่านี้ต้องมากกว่าหรือเท่ากับ 0" in messages(field, "-๕")


def test_a_fraction_in_a_whole_number_is_refused():
    assert messages(ThaiIntegerField(), "12.5")


def test_number_inputs_are_text_inputs_with_a_keyboard_hint():
    assert (
        ThaiIntegerField().widget.render("n", 12)
        == '<input type="text" name="n" value="12" inputmode="numeric">'
    )
    assert 'inputmode="decimal"' in ThaiDecimalField().widget.render("n", 12)


@pytest.mark.parametrize(
    ("widget", "value", "shown"),
    [
        (DecimalInput(places=2), Decimal("1234567.5"), "1,234,567.50"),
        (DecimalInput(), Decimal("1234.00"), "1,234"),
        (DecimalInput(), Decimal("12.50"), "12.5"),
        (IntegerInput(grouped=True), 12345, "12,345"),
        (IntegerInput(), 2570, "2570"),
        (DecimalInput(places=2), "1.234,50", "1.234,50"),  # what was typed comes back as typed
    ],
)
def test_numbers_are_shown_with_separators_counts_without_satang(widget, value, shown):
    assert f'value="{shown}"' in widget.render("n", value)


def test_what_was_typed_stays_in_the_field_after_an_error():
    class Form(forms.Form):
        n = ThaiDecimalField(decimal_places=2)

    form = Form({"n": "1.234,50"})
    assert not form.is_valid()
    assert 'value="1.234,50"' in str(form["n"])


# --- project-wide guards -------------------------------------------------------------------------

FORM_MODULES = [
    "accounts.forms",
    "news.forms",
    "progress.forms",
    "projects.forms",
    "reports.forms",
    "workload.forms",
    "workload.centre.forms",
]


def _number_problems(name, fields):
    problems = []
    for field_name, field in fields.items():
        if isinstance(field.widget, forms.HiddenInput):
            continue  # versions and stamps the browser sends back untouched
        if getattr(field.widget, "input_type", None) == "number":
            problems.append(f"{name}.{field_name}: type=number")
        if isinstance(field, forms.IntegerField | forms.DecimalField | forms.FloatField) and not isinstance(
            field, ThaiIntegerField | ThaiDecimalField
        ):
            problems.append(f"{name}.{field_name}: {type(field).__name__} does not read Thai digits")
    return problems


def test_every_number_field_of_every_form_reads_thai_digits():
    problems = []
    for module_name in FORM_MODULES:
        module = importlib.import_module(module_name)
        for name, thing in vars(module).items():
            if inspect.isclass(thing) and issubclass(thing, forms.BaseForm):
                problems += _number_problems(f"{module_name}.{name}", thing.base_fields)
            if inspect.isclass(thing) and issubclass(thing, forms.BaseFormSet) and hasattr(thing, "form"):
                problems += _number_problems(f"{module_name}.{name}", thing.form.base_fields)
    assert not problems, "\n".join(problems)


def test_every_number_field_built_per_page_reads_thai_digits():
    from progress.forms import amount_field
    from projects.forms import money_field
    from reports.forms import percent_field
    from workload.forms import measure_fields

    fields = {
        **measure_fields(),
        "money": money_field(),
        "amount": amount_field("a"),
        "pct": percent_field("p"),
    }
    assert not _number_problems("built", fields)


@pytest.mark.django_db
def test_every_admin_form_reads_thai_digits(rf, admin_user):
    from django.contrib import admin

    problems = []
    request = rf.get("/admin/")
    request.user = admin_user
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in {"accounts", "news", "progress", "projects", "reports", "workload"}:
            continue
        if model_admin.has_add_permission(request):
            problems += _number_problems(model.__name__, model_admin.get_form(request).base_fields)
        for inline in model_admin.get_inline_instances(request):
            formset = inline.get_formset(request)
            problems += _number_problems(f"{model.__name__} inline", formset.form.base_fields)
    assert not problems, "\n".join(problems)


def test_no_template_writes_a_number_input():
    from pathlib import Path

    from django.conf import settings

    found = [
        str(path)
        for folder in settings.TEMPLATES[0]["DIRS"]
        for path in Path(folder).rglob("*.html")
        if 'type="number"' in path.read_text(encoding="utf-8")
        or "type=number" in path.read_text(encoding="utf-8")
    ]
    assert not found
