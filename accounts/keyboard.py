"""Thai Kedmanee ↔ US QWERTY key map, for the "keyboard in Thai mode" sign-in hint.

The DLA manual's first sign-in problem: the password is typed while the
keyboard is switched to Thai, so the server receives Thai letters. Knowing
which physical key gives which character on each layout, the sign-in page can
say so and show what the same keys give on the English layout. That is worked
out in the browser (static/js/login.js, with TO_QWERTY carried by the page), as
it is nearly always the password itself and must not be sent back in clear;
thai_to_qwerty here is the reference the browser tests check it against.

The Thai layout is Kedmanee (TIS 820-2538), the one Windows and macOS use.
Some of its keys give ASCII punctuation (the 2 key gives "/", the 3 key "-"),
so a string counts as typed in Thai mode only when it holds Thai letters.
"""

QWERTY_UNSHIFTED = "`1234567890-=qwertyuiop[]\\asdfghjkl;'zxcvbnm,./"
KEDMANEE_UNSHIFTED = "_ๅ/-ภถุึคตจขชๆไำพะัีรนยบลฃฟหกดเ้่าสวงผปแอิืทมใฝ"
QWERTY_SHIFTED = '~!@#$%^&*()_+QWERTYUIOP{}|ASDFGHJKL:"ZXCVBNM<>?'
KEDMANEE_SHIFTED = '%+๑๒๓๔ู฿๕๖๗๘๙๐"ฎฑธํ๊ณฯญฐ,ฅฤฆฏโฌ็๋ษศซ.()ฉฮฺ์?ฒฬฦ'

QWERTY_KEYS = QWERTY_UNSHIFTED + QWERTY_SHIFTED
KEDMANEE_KEYS = KEDMANEE_UNSHIFTED + KEDMANEE_SHIFTED

TO_QWERTY = dict(zip(KEDMANEE_KEYS, QWERTY_KEYS, strict=True))
TO_KEDMANEE = dict(zip(QWERTY_KEYS, KEDMANEE_KEYS, strict=True))


def contains_thai(text: str) -> bool:
    """True if any character lies in the Thai block (U+0E00–U+0E7F)."""
    return any("\u0e00" <= ch <= "\u0e7f" for ch in text or "")


def thai_to_qwerty(text: str) -> str:
    """What the keys pressed in Thai mode give on the English layout.

    Text without Thai letters was not typed in Thai mode and comes back as it
    is; characters no key gives (a space, say) are kept.
    """
    if not contains_thai(text):
        return text
    return "".join(TO_QWERTY.get(ch, ch) for ch in text)


def qwerty_to_thai(text: str) -> str:
    """What the keys pressed in English mode give on the Thai layout."""
    return "".join(TO_KEDMANEE.get(ch, ch) for ch in text)
