import datetime as dt
from decimal import Decimal

from django.template import Context, Template
from django.utils import translation


def render(source, **context):
    return Template("{% load thai %}" + source).render(Context(context))


def test_date_filters_in_thai():
    day = dt.date(2026, 11, 22)
    with translation.override("th"):
        assert render("{{ d|thdate }}", d=day) == "22 พ.ย. 2569"
        assert render("{{ d|thdate_long }}", d=day) == "22 พฤศจิกายน 2569"
        assert render("{{ d|fiscal_year }}", d=day) == "2570"
        assert render("[{{ d|thdate }}]", d=None) == "[]"


def test_datetime_filter():
    moment = dt.datetime(2026, 11, 22, 7, 5, tzinfo=dt.UTC)
    with translation.override("th"):
        assert render("{{ m|thdatetime }}", m=moment) == "22 พ.ย. 2569 14.05 น."
        assert render("{{ m|thtime }}", m=moment) == "14.05 น."


def test_baht_filter():
    assert render("{{ a|baht }}", a=Decimal("2500000")) == "2,500,000.00"


def test_num_filter():
    assert render("{{ a|num }}", a=Decimal("12345.675")) == "12,345.68"
    assert render("{{ a|num:0 }}", a=1500) == "1,500"
    assert render("[{{ a|num }}]", a=None) == "[]"
