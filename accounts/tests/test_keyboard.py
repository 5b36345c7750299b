from accounts.keyboard import (
    KEDMANEE_KEYS,
    QWERTY_KEYS,
    contains_thai,
    qwerty_to_thai,
    thai_to_qwerty,
)


def test_every_key_of_both_layouts_is_mapped_once():
    assert len(QWERTY_KEYS) == len(KEDMANEE_KEYS) == 94
    assert len(set(QWERTY_KEYS)) == 94
    assert len(set(KEDMANEE_KEYS)) == 94


def test_known_keys():
    assert thai_to_qwerty("ฟหกด") == "asdf"
    assert thai_to_qwerty("ๅ/-ภถุึคตจขช") == "1234567890-="
    assert thai_to_qwerty("ไำพะ") == "wert"
    assert qwerty_to_thai("Tracking@2569") == "ธพฟแารืเ๑/ถุต"


def test_round_trip():
    for text in ["Tracking@2569", "P@ssw0rd!", "asdf1234", "Zx(9)_+{}|:<>?~`", "qwertyuiop[]\\"]:
        assert thai_to_qwerty(qwerty_to_thai(text)) == text


def test_contains_thai():
    assert not contains_thai("password-123")
    assert contains_thai("ก")
    assert not contains_thai("")


def test_text_without_thai_is_left_alone():
    # "/" and "-" are Thai-layout keys too, but without a Thai letter nothing was typed in Thai mode.
    assert thai_to_qwerty("a/b-c") == "a/b-c"


def test_spaces_are_kept():
    assert thai_to_qwerty("ฟ ห") == "a s"
