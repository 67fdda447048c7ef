"""Question text markup: sanitising, checking, plain-text conversion and search keys.

Question texts (stem, options, explanation) are *limited HTML* fragments: only the tags in
``ALLOWED_TAGS`` survive :func:`sanitize`.  Plain text (no tag, no entity) is escaped and its
newlines become ``<br>``, so every stored text is safe to render as HTML.
"""

from __future__ import annotations

import difflib
import html
import re
import unicodedata
from html.parser import HTMLParser
from urllib.parse import unquote

import nh3

ALLOWED_TAGS = frozenset({"b", "strong", "i", "em", "u", "ul", "ol", "li", "br", "p", "sub", "sup", "img"})
VOID_TAGS = frozenset({"br", "img", "hr", "wbr", "area", "base", "col", "embed", "input", "link", "meta", "source", "track"})
# Tags whose end tag HTML lets you omit: "<p>a<p>b" or "<li>a<li>b" is not broken markup.
OPTIONAL_END_TAGS = frozenset({"p", "li"})

_DATA_IMAGE = re.compile(r"^data:image/(png|jpeg|gif|webp);base64,[A-Za-z0-9+/=\s]+$", re.IGNORECASE)
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_LOOKS_LIKE_HTML = re.compile(r"<[A-Za-z!/?]|&(#[0-9]+|#[xX][0-9A-Fa-f]+|[A-Za-z][A-Za-z0-9]*);")
_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)
_BLOCK_END = re.compile(r"</(p|li|ul|ol)\s*>|<(p|li|ul|ol)(\s[^>]*)?>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")
_UNTERMINATED_TAG = re.compile(r"</?[A-Za-z][^<>]*(?=<|$)")


def image_src_allowed(src: str) -> bool:
    """``data:image/(png|jpeg|gif|webp);base64,…`` or a relative file name (``x.png``, ``img/x.png``)."""
    src = src.strip()
    if not src:
        return False
    if src.lower().startswith("data:"):
        return bool(_DATA_IMAGE.match(src))
    if _SCHEME.match(src) or src.startswith(("/", "\\")):
        return False  # http:, javascript:, //host, /absolute
    return ".." not in unquote(src).replace("\\", "/").split("/")


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    if tag == "img" and attribute == "src":
        return value.strip() if image_src_allowed(value) else None
    return value


_CLEANER = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    clean_content_tags={"script", "style"},
    attributes={"img": {"src", "alt"}},
    attribute_filter=_filter_attribute,
    url_schemes={"data"},
    link_rel=None,
    strip_comments=True,
)


def looks_like_html(text: str) -> bool:
    """True when ``text`` contains a tag or an entity, i.e. it must be read as HTML."""
    return bool(_LOOKS_LIKE_HTML.search(text))


def plain_to_html(text: str) -> str:
    """Escape plain text and turn its line breaks into ``<br>``."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    return html.escape(text, quote=False).replace("\n", "<br>")


def sanitize(text: str) -> str:
    """Return a safe limited-HTML fragment.

    Text with tags or entities is cleaned with nh3 (allowed tags only, ``<img src alt>`` with a
    relative name or a ``data:image/...`` URL); plain text is escaped and its newlines become
    ``<br>``.  ``sanitize(sanitize(x)) == sanitize(x)``.
    """
    if text is None:
        return ""
    text = str(text)
    if not looks_like_html(text):
        return plain_to_html(text)
    return _CLEANER.clean(text.replace("\r\n", "\n").replace("\r", "\n")).strip()


class _BalanceChecker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.issues: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VOID_TAGS:
            return
        if tag in OPTIONAL_END_TAGS and self.stack and self.stack[-1] == tag:
            self.stack.pop()  # "<li>a<li>b": the second <li> closes the first
        self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        return  # <br/>, <img .../>, <b/>: nothing to close

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID_TAGS:
            return
        if tag not in self.stack:
            self.issues.append(f"</{tag}>")
            return
        while self.stack:
            top = self.stack.pop()
            if top == tag:
                return
            if top not in OPTIONAL_END_TAGS:
                self.issues.append(f"<{top}>")


def markup_problems(text: str) -> list[str]:
    """Broken markup in ``text``, as the offending tags: ``"<b>"`` opened and never closed (or
    closed out of order), ``"</i>"`` closed without being opened, ``"<b"`` a tag that never
    ends with ``>``.  Plain text gives ``[]``."""
    if not text or not looks_like_html(text):
        return []
    issues = [m.group(0).strip()[:20] for m in _UNTERMINATED_TAG.finditer(text)]
    checker = _BalanceChecker()
    try:
        checker.feed(text)
        checker.close()
    except Exception:  # html.parser is lenient; never let a checker crash an import
        return issues or ["<?>"]
    issues += checker.issues
    issues += [f"<{tag}>" for tag in checker.stack if tag not in OPTIONAL_END_TAGS]
    return list(dict.fromkeys(issues))


def to_plain_text(text: str) -> str:
    """Readable plain text: tags removed, ``<br>``/paragraphs become newlines, entities decoded."""
    if not text:
        return ""
    if not looks_like_html(text):
        return text.replace("\r\n", "\n").strip()
    text = _BLOCK_END.sub("\x00", text.replace("\r\n", "\n"))
    text = re.sub(r"[ \t\n]*\x00[\x00 \t\n]*", "\x00", text)  # block boundaries: one line break
    text = _BR.sub("\n", text).replace("\x00", "\n")
    text = html.unescape(_TAG.sub("", text)).replace("\xa0", " ")
    return "\n".join(line.strip() for line in text.split("\n")).strip()


def editable_text(text: str) -> str | None:
    """The plain-text form a person would type for ``text`` (``<br>`` → newline, ``&amp;`` → ``&``),
    or ``None`` when the text has real markup and must be kept as HTML.  When not ``None``,
    ``sanitize(editable_text(t)) == t`` for a sanitised ``t``."""
    if not text:
        return ""
    if not looks_like_html(text):
        return text
    candidate = html.unescape(_BR.sub("\n", text))
    if _TAG.search(candidate) is None and sanitize(candidate) == text:
        return candidate
    return None


def fold(text: str) -> str:
    """Accent-, case- and spacing-insensitive search key: ``fold("Hiến chương  ASEAN") == "hien chuong asean"``."""
    if not text:
        return ""
    text = str(text).replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.casefold().split())


def stem_fingerprint(text: str) -> str:
    """Key for duplicate detection: plain text, folded, punctuation removed, spaces collapsed."""
    folded = fold(to_plain_text(text))
    return " ".join(re.sub(r"[^\w]+", " ", folded).replace("_", " ").split())


def similarity(a: str, b: str, *, at_least: float = 0.0) -> float:
    """How alike two question texts are, from 0 to 1 (difflib ratio of the fingerprints).

    Texts that differ only in accents, case, punctuation or spacing score 1.0.  When the score
    cannot reach ``at_least`` (cheap length and character-count bounds), 0.0 is returned without
    running the full comparison."""
    return fingerprint_similarity(stem_fingerprint(a), stem_fingerprint(b), at_least=at_least)


def fingerprint_similarity(fa: str, fb: str, *, at_least: float = 0.0) -> float:
    """:func:`similarity` of two texts already reduced by :func:`stem_fingerprint`."""
    if fa == fb:
        return 1.0
    if not fa or not fb:
        return 0.0
    matcher = difflib.SequenceMatcher(None, fa, fb, autojunk=False)
    if at_least > 0 and (matcher.real_quick_ratio() < at_least or matcher.quick_ratio() < at_least):
        return 0.0
    return matcher.ratio()


def slugify(text: str) -> str:
    """``"Thương mại hàng hóa"`` → ``"thuong-mai-hang-hoa"`` (the tag/key alphabet ``[a-z0-9-]``)."""
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")
