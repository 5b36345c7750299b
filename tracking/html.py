"""Formatted text from users, cleaned so no script can get in (nh3, the Rust ammonia sanitiser).

People write plain text: a blank line starts a paragraph, ``**bold**`` and ``_italic_`` mark
words, lines beginning with ``-`` or ``1.`` make lists, and web addresses become links. Nobody
types HTML; HTML typed anyway is shown as the text it is.
"""

import re

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {"p", "br", "strong", "b", "em", "i", "u", "ul", "ol", "li", "a", "h2", "h3", "blockquote"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto"}

# A bare web address not already inside a link's brackets, without the punctuation that ends a
# sentence after it.
_BARE_URL = re.compile(r"(?<![(<\[])\bhttps?://[^\s<>()\[\]]*[^\s<>()\[\].,;:!?'\"]")
_LIST_ITEM = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+")


def sanitise(html: str) -> str:
    """Keep simple formatting; drop scripts, styles, event handlers and unsafe links."""
    return nh3.clean(html or "", tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=URL_SCHEMES)


def _converter() -> markdown.Markdown:
    converter = markdown.Markdown(extensions=["nl2br", "sane_lists"])
    # Raw HTML is text, not markup: people never write tags, and typed tags are shown as typed.
    converter.preprocessors.deregister("html_block")
    converter.inlinePatterns.deregister("html")
    return converter


def _separate_lists(text: str) -> str:
    """A list starts on the line after its heading and a paragraph right after a list, as people
    type them; Markdown would want a blank line around the list. A typed • is a list mark too."""
    lines = []
    previous = None
    for line in text.replace("\r\n", "\n").split("\n"):
        mark = _LIST_ITEM.match(line)
        kind = ("numbered" if mark.group(0).strip()[0].isdigit() else "bullet") if mark else None
        if kind == "bullet":
            line = re.sub(r"^(\s*)•", r"\1-", line)
        if lines and lines[-1].strip() and line.strip() and kind != previous:
            lines.append("")
        lines.append(line)
        previous = kind if line.strip() else None
    return "\n".join(lines)


def format_text(source: str) -> SafeString:
    """The HTML of a plain text as people type it (see the module's docstring), sanitised."""
    linked = _BARE_URL.sub(lambda match: f"<{match.group(0)}>", _separate_lists(source or ""))
    return mark_safe(sanitise(_converter().convert(linked)))  # noqa: S308  # nosec B308 B703: nh3 output
