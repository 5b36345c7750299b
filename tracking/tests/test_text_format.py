"""Plain text as people type it, shown formatted: paragraphs, lists, bold, italic, links; no HTML."""

import pytest

from tracking.html import format_text


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("ย่อหน้าแรก\n\nย่อหน้าที่สอง", "<p>ย่อหน้าแรก</p>\n<p>ย่อหน้าที่สอง</p>"),
        ("บรรทัดหนึ่ง\nบรรทัดสอง", "<p>บรรทัดหนึ่ง<br>\nบรรทัดสอง</p>"),
        ("**สำคัญ** และ _เน้น_", "<p><strong>สำคัญ</strong> และ <em>เน้น</em></p>"),
        ("สิ่งที่ต้องทำ\n- ก\n- ข", "<p>สิ่งที่ต้องทำ</p>\n<ul>\n<li>ก</li>\n<li>ข</li>\n</ul>"),
        ("• ก\n• ข", "<ul>\n<li>ก</li>\n<li>ข</li>\n</ul>"),
        ("1. ก\n2. ข\nจบ", "<ol>\n<li>ก</li>\n<li>ข</li>\n</ol>\n<p>จบ</p>"),
        ("-5 องศา", "<p>-5 องศา</p>"),
    ],
)
def test_plain_text_becomes_paragraphs_lists_and_emphasis(typed, shown):
    assert str(format_text(typed)) == shown


def test_web_addresses_become_links_without_the_full_stop_after_them():
    html = str(format_text("ดูที่ https://www.dla.go.th/a?b=1&c=2."))
    assert '<a href="https://www.dla.go.th/a?b=1&amp;c=2" rel="noopener noreferrer">' in html
    assert html.endswith("</a>.</p>")


def test_typed_html_is_text_and_unsafe_links_lose_their_address():
    html = str(format_text('<script>alert(1)</script><b onclick="x()">ตัวหนา</b> [คลิก](javascript:alert(1))'))
    assert "<script" not in html and "<b " not in html and "javascript:" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_empty_text_is_empty():
    assert str(format_text("")) == "" and str(format_text(None)) == ""
