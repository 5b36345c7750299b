"""News bodies are written as plain text from now on; the HTML of older items becomes that text.

Paragraphs become blank-line-separated paragraphs, line breaks new lines, list items lines that
begin with "- ", bold and italic the marks people type, links their address.
"""

import html
import re

from django.db import migrations, models

_RULES = [
    (re.compile(r"<\s*br\s*/?>", re.I), "\n"),
    (re.compile(r"<\s*/\s*(p|h2|h3|blockquote|ul|ol)\s*>", re.I), "\n\n"),
    (re.compile(r"<\s*li[^>]*>", re.I), "- "),
    (re.compile(r"<\s*/\s*li\s*>", re.I), "\n"),
    (re.compile(r"<\s*/?\s*(strong|b)\s*>", re.I), "**"),
    (re.compile(r"<\s*/?\s*(em|i)\s*>", re.I), "_"),
    (re.compile(r"<a\s[^>]*href=\"([^\"]*)\"[^>]*>(.*?)</a>", re.I | re.S), r"[\2](\1)"),
    (re.compile(r"<[^>]+>"), ""),
]


def html_to_text(body: str) -> str:
    text = body
    for pattern, replacement in _RULES:
        text = pattern.sub(replacement, text)
    text = html.unescape(text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


HELP = (
    "Plain text: a blank line starts a new paragraph; **bold**, _italic_; lines beginning with "
    "- or 1. make a list; web addresses become links."
)


def forwards(apps, schema_editor):
    News = apps.get_model("news", "News")
    for item in News.objects.filter(body__contains="<").only("pk", "body"):
        News.objects.filter(pk=item.pk).update(body=html_to_text(item.body))


class Migration(migrations.Migration):
    dependencies = [("news", "0001_initial")]

    operations = [
        migrations.RunPython(forwards, migrations.RunPython.noop),
        *(
            migrations.AlterField(
                model_name=model,
                name="body",
                field=models.TextField(help_text=HELP, max_length=50000, verbose_name="text"),
            )
            for model in ("news", "newsevent")
        ),
    ]
