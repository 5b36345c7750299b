"""The widgets that write their HTML directly give exactly the HTML of Django's own widgets."""

import pytest
from django import forms
from django.test.html import parse_html

from tracking.widgets import FastSelect, FastTextInput


@pytest.mark.parametrize(
    ("value", "attrs"),
    [
        (None, {}),
        (0, {"required": True, "disabled": False}),
        ("12.50", {"inputmode": "decimal", "class": "num-input", "aria-label": '1. "ปริมาณ" <งาน> & อื่น ๆ'}),
        ('"><script>alert(1)</script>', {"aria-invalid": "true", "id": "id_q1_volume"}),
    ],
)
def test_fast_text_input_writes_what_django_writes(value, attrs):
    expected = forms.TextInput(attrs={"step": "0.5"}).render("q1_volume", value, attrs=attrs)
    assert FastTextInput(attrs={"step": "0.5"}).render("q1_volume", value, attrs=attrs) == expected


CHOICES = [
    ("", "---------"),
    (1, "สำนักงานการปฏิรูปที่ดินจังหวัดเชียงใหม่"),
    (2, 'A "quoted" <unit> & co'),
    ("x y", "ข"),
]


@pytest.mark.parametrize(
    ("value", "attrs"),
    [
        (None, {}),
        ("", {"id": "id_unit"}),
        (1, {"id": "id_unit", "required": True, "class": "filter"}),
        ("2", {"aria-invalid": "true", "disabled": False}),
        ("x y", {"data-label": '"><script>alert(1)</script>'}),
    ],
)
def test_fast_select_writes_what_django_writes(value, attrs):
    expected = forms.Select(choices=CHOICES).render("unit", value, attrs=attrs)
    fast = FastSelect(choices=CHOICES).render("unit", value, attrs=attrs)
    # the same elements, attributes and text; only the indentation between options differs
    assert parse_html(fast) == parse_html(expected)
    assert fast.count("<option") == expected.count("<option") and fast.count(" selected") == expected.count(
        " selected"
    )


def test_fast_select_with_option_groups_writes_what_django_writes():
    choices = [("", "---------"), ("ภาคเหนือ", [(1, "เชียงใหม่"), (2, "ลำพูน")]), (3, "กรุงเทพมหานคร")]
    expected = forms.Select(choices=choices).render("province", 2, attrs={"id": "id_province"})
    assert parse_html(
        FastSelect(choices=choices).render("province", 2, attrs={"id": "id_province"})
    ) == parse_html(expected)


def test_fast_select_is_what_a_choice_of_names_uses():
    from tracking.forms import ThaiNameChoiceField

    assert ThaiNameChoiceField.widget is FastSelect
