from tracking.thaisort import thai_sort_key


def sort(words):
    return sorted(words, key=thai_sort_key)


def test_leading_vowels_sort_by_their_consonant():
    # Code-point order would put เชียงใหม่ and แพร่ after every ก–ฮ word.
    words = ["แพร่", "เชียงใหม่", "กระบี่", "น่าน", "ชัยภูมิ", "พะเยา", "ลำปาง"]
    assert sort(words) == ["กระบี่", "ชัยภูมิ", "เชียงใหม่", "น่าน", "พะเยา", "แพร่", "ลำปาง"]


def test_tone_marks_only_break_ties():
    assert sort(["ข้าว", "ขาว", "ขาวดำ"]) == ["ขาว", "ข้าว", "ขาวดำ"]


def test_empty_and_none():
    assert thai_sort_key("") == thai_sort_key(None)
