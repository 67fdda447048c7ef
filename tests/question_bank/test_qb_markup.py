import pytest

from question_bank.markup import (
    editable_text,
    fold,
    markup_problems,
    sanitize,
    similarity,
    slugify,
    stem_fingerprint,
    to_plain_text,
)


def test_sanitize_keeps_the_allowed_tags():
    html = "<p><b>a</b> <strong>b</strong> <i>c</i> <em>d</em> <u>e</u> H<sub>2</sub>O x<sup>2</sup></p><ul><li>1</li></ul><ol><li>2</li></ol>a<br>b"
    assert sanitize(html) == html


@pytest.mark.parametrize(
    "dirty, clean",
    [
        ("<script>alert(1)</script>Câu hỏi", "Câu hỏi"),
        ('<b onclick="x()">đậm</b>', "<b>đậm</b>"),
        ('<a href="http://evil.example">link</a>', "link"),
        ('<span style="color:red">đỏ</span>', "đỏ"),
        ('<img src="http://evil.example/x.png" alt="x">', '<img alt="x">'),
        ('<img src="//evil.example/x.png">', "<img>"),
        ('<img src="javascript:alert(1)">', "<img>"),
        ('<img src="/etc/passwd">', "<img>"),
        ('<img src="../secret.png">', "<img>"),
        ('<img src="data:text/html;base64,PHNjcmlwdD4=">', "<img>"),
        ('<img src="x.png" alt="bản đồ" onerror="x()">', '<img src="x.png" alt="bản đồ">'),
        ('<img src="data:image/png;base64,iVBORw0KGgo=">', '<img src="data:image/png;base64,iVBORw0KGgo=">'),
        ("<iframe src='x'></iframe>ok", "ok"),
    ],
)
def test_sanitize_removes_everything_else(dirty, clean):
    assert sanitize(dirty) == clean


def test_plain_text_is_escaped_and_newlines_become_br():
    assert sanitize("Dòng 1\nDòng 2") == "Dòng 1<br>Dòng 2"
    assert sanitize("Dòng 1\r\nDòng 2") == "Dòng 1<br>Dòng 2"
    assert sanitize("Tom & Jerry") == "Tom &amp; Jerry"
    assert sanitize("3 < 5") == "3 &lt; 5"
    assert sanitize("  1967 ") == "1967"


@pytest.mark.parametrize("text", ["Tom & Jerry", "a\nb", "<b>x</b>", "a &lt;b&gt;", "<p>a<p>b", '<img src="a b.png">', "&nbsp;x"])
def test_sanitize_is_idempotent(text):
    once = sanitize(text)
    assert sanitize(once) == once


@pytest.mark.parametrize(
    "html, expected",
    [
        ("<b>đậm", ["<b>"]),
        ("chữ</i>", ["</i>"]),
        ("<b><i>x</b></i>", ["<i>", "</i>"]),
        ("Năm <b", ["<b"]),
        ("<ul><li>a</ul>", []),
        ("<p>a<p>b", []),
        ("a<br>b<br/>c", []),
        ('<img src="x.png">', []),
        ("3 < 5 và 7 > 2", []),
        ("không có thẻ", []),
        ("<B>hoa</B>", []),
    ],
)
def test_markup_problems_names_the_broken_tags(html, expected):
    assert markup_problems(html) == expected


def test_to_plain_text():
    assert to_plain_text("<p>Hiến <b>chương</b></p><p>ASEAN</p>") == "Hiến chương\nASEAN"
    assert to_plain_text("a<br>b &amp; c") == "a\nb & c"
    assert to_plain_text("") == ""


def test_editable_text_gives_what_a_person_types_and_sanitizes_back():
    for html in ("Tom &amp; Jerry", "a<br>b", "1967", "Việt Nam"):
        text = editable_text(html)
        assert text is not None and sanitize(text) == html
    assert editable_text("<b>x</b>") is None
    assert editable_text("a &lt;b&gt; c") is None


def test_fold_ignores_accents_case_and_spacing():
    assert fold("Hiến chương ASEAN") == "hien chuong asean"
    assert fold("  ĐÀ   NẴNG ") == "da nang"
    assert fold("Đông Nam Á") == fold("dong nam a")


def test_similarity_ignores_accents_case_punctuation_and_whitespace():
    a = "Hiến chương ASEAN có hiệu lực từ năm nào?"
    assert similarity(a, "hien chuong asean co hieu luc tu nam nao") >= 0.95
    assert similarity(a, "HIẾN CHƯƠNG ASEAN, có hiệu lực từ năm nào ?!") >= 0.95
    assert similarity(a, "<p>Hiến   chương <b>ASEAN</b> có hiệu lực từ năm nào?</p>") >= 0.95
    assert similarity(a, a) == 1.0
    assert similarity(a, "Thủ đô của Lào là thành phố nào?") < 0.6
    assert 0.6 < similarity(a, "Hiến chương ASEAN được ký kết vào năm nào?") < 0.95
    assert stem_fingerprint("Hiến chương, ASEAN!") == "hien chuong asean"


def test_similarity_prefilter_skips_pairs_that_cannot_reach_the_threshold():
    assert similarity("a" * 10, "a" * 100, at_least=0.9) == 0.0
    assert similarity("abc def", "abc deg", at_least=0.5) > 0.5


def test_slugify():
    assert slugify("Thương mại hàng hóa") == "thuong-mai-hang-hoa"
    assert slugify("  ASEAN 2025! ") == "asean-2025"
