"""Thai dictionary order without ICU.

Sorting Thai text by code point puts every word that starts with a leading
vowel (เ แ โ ใ ไ) after all words starting with a consonant, and lets tone
marks decide the order. A Thai dictionary orders by consonant first, then
vowel, and looks at tone marks only to break ties. PostgreSQL's ICU
collations would do this, but the bundled server is built without ICU and
the C locale orders by code point, so names carry a sort key made here and
stored in a column with the "C" collation.
"""

import re

_LEADING_VOWELS = "เแโใไ"
# Tone marks and the signs that do not change primary order:
# ็ (maitaikhu) ่ ้ ๊ ๋ (tones) ์ (thanthakhat) ํ (nikhahit).
_SECONDARY = "็่้๊๋์ํ"
_SECONDARY_RE = re.compile(f"[{_SECONDARY}]")
_SWAP_RE = re.compile(f"([{_LEADING_VOWELS}])([ก-ฮ])")


def thai_sort_key(text: str) -> str:
    """A string whose code-point order is Thai dictionary order.

    Primary: the text with leading vowels moved after their consonant and
    tone marks removed; then the tone marks themselves to break ties.
    """
    text = (text or "").strip()
    swapped = _SWAP_RE.sub(r"\2\1", text)
    primary = _SECONDARY_RE.sub("", swapped)
    secondary = "".join(ch for ch in swapped if ch in _SECONDARY)
    return f"{primary}\x01{secondary}"
