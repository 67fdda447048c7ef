"""The spreadsheet template shared by XLSX and CSV: its columns, header matching, one row ⇄ one
question, and protection against formula injection."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..markup import editable_text, fold, slugify
from ..model import (
    LANGUAGES,
    MAX_OPTIONS,
    OPTION_LETTERS,
    TRUE_FALSE_TEXTS,
    Difficulty,
    Option,
    Pillar,
    Question,
    QuestionType,
)
from ..validation import Problem
from .importing import clean_html


@dataclass(frozen=True)
class Column:
    header: str  # as written in the template (Vietnamese)
    field: str  # "key", "stem.vi", "options[2].en", "correct", …
    aliases: tuple[str, ...] = ()
    width: int = 24
    guide: str = ""  # what to write, for the "Hướng dẫn" sheet


def _option_columns(lang: str) -> list[Column]:
    columns = []
    for index, letter in enumerate(OPTION_LETTERS):
        aliases = (f"Option {letter} ({lang.upper()})",)
        if lang == "vi":
            aliases += (f"Phương án {letter}", f"Option {letter}")
        required = "không bắt buộc" if index >= 2 else ("bắt buộc" if lang == "vi" else "bắt buộc khi có Câu hỏi (EN)")
        guide = f"Nội dung phương án {letter} bằng {_LANGUAGE_NAMES[lang]} ({required})."
        columns.append(Column(f"Phương án {letter} ({lang.upper()})", f"options[{index}].{lang}", aliases, 22, guide))
    return columns


_LANGUAGE_NAMES = {"vi": "tiếng Việt", "en": "tiếng Anh"}

COLUMNS: tuple[Column, ...] = (
    Column("Mã", "key", ("Key", "Mã câu hỏi", "ID"), 14,
           "Mã riêng của câu hỏi, không trùng trong ngân hàng: chữ thường không dấu, số, dấu gạch ngang (vd. hien-chuong-01). Có thể để trống."),
    Column("Loại", "type", ("Type", "Loại câu hỏi"), 16,
           "Một lựa chọn / Nhiều lựa chọn / Đúng/Sai (hoặc single / multiple / true_false). "
           "Để trống: một lựa chọn nếu có một đáp án đúng, nhiều lựa chọn nếu có nhiều."),
    Column("Trụ cột", "pillar", ("Pillar",), 30,
           "Cộng đồng Chính trị - An ninh ASEAN / Cộng đồng Kinh tế ASEAN / Cộng đồng Văn hóa - Xã hội ASEAN / "
           "Lịch sử và thể chế ASEAN (hoặc mã political_security / economic / socio_cultural / history). Có thể để trống."),
    Column("Chủ đề", "tags", ("Tags", "Tag"), 22,
           "Các chủ đề, cách nhau bởi dấu chấm phẩy (vd. hiến chương; thể chế). Được chuyển thành dạng không dấu: hien-chuong."),
    Column("Độ khó", "difficulty", ("Difficulty",), 12, "Dễ / Trung bình / Khó (hoặc easy / medium / hard). Để trống: Trung bình."),
    Column("Câu hỏi (VI)", "stem.vi", ("Question (VI)", "Câu hỏi"), 48,
           "Nội dung câu hỏi bằng tiếng Việt. Xuống dòng bằng Alt+Enter. Được dùng các thẻ HTML b, i, u, sub, sup, br, p, ul, ol, li."),
    *_option_columns("vi"),
    Column("Đáp án đúng", "correct", ("Correct answer", "Correct", "Đáp án"), 12,
           "Chữ cái của (các) phương án đúng: B, hoặc A;C cho câu nhiều lựa chọn. Câu đúng/sai: A (Đúng) hoặc B (Sai), hay ghi Đúng / Sai."),
    Column("Giải thích (VI)", "explanation.vi", ("Explanation (VI)", "Giải thích"), 40,
           "Lời giải thích hiện sau khi thi (không bắt buộc)."),
    Column("Câu hỏi (EN)", "stem.en", ("Question (EN)",), 48,
           "Nội dung câu hỏi bằng tiếng Anh (không bắt buộc; nếu có thì phải điền đủ các phương án (EN))."),
    *_option_columns("en"),
    Column("Giải thích (EN)", "explanation.en", ("Explanation (EN)",), 40, "Lời giải thích bằng tiếng Anh (không bắt buộc)."),
    Column("Nguồn", "source", ("Source",), 30, "Tài liệu, năm, nơi có thể kiểm chứng (vd. Hiến chương ASEAN 2007, Điều 1)."),
    Column("Tên", "name", ("Name", "Tên câu hỏi"), 24, "Tên ngắn của câu hỏi, dùng khi xuất ra Moodle/GIFT (không bắt buộc)."),
)
HEADERS: tuple[str, ...] = tuple(column.header for column in COLUMNS)
_BY_FIELD = {column.field: column for column in COLUMNS}


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", fold(text))


_BY_NAME: dict[str, Column] = {}
for _column in COLUMNS:
    for _name in (_column.header, *_column.aliases):
        _BY_NAME[_norm(_name)] = _column


def header_score(cells: list[str]) -> int:
    """How many cells are template column names (to find the header row)."""
    return sum(1 for cell in cells if _norm(cell) in _BY_NAME)


def parse_header(cells: list[str]) -> tuple[dict[int, Column], list[Problem]]:
    """Map cell positions to columns; unknown, repeated and missing required columns are problems."""
    mapping: dict[int, Column] = {}
    problems: list[Problem] = []
    seen: set[str] = set()
    for position, cell in enumerate(cells):
        if not cell.strip():
            continue
        column = _BY_NAME.get(_norm(cell))
        if column is None:
            problems.append(Problem("header", "unknown_column", {"column": cell.strip()}))
        elif column.field in seen:
            problems.append(Problem("header", "duplicate_column", {"column": cell.strip()}))
        else:
            seen.add(column.field)
            mapping[position] = column
    if not mapping:
        return {}, [Problem("header", "bad_header")]
    required = ["correct"]
    languages = [lang for lang in LANGUAGES if f"stem.{lang}" in seen]
    if not languages:
        required.append("stem.vi")
    for lang in languages or ["vi"]:
        required += [f"options[0].{lang}", f"options[1].{lang}"]
    problems += [Problem("header", "missing_column", {"column": _BY_FIELD[f].header}) for f in required if f not in seen]
    return mapping, problems


# --- formula injection -------------------------------------------------------------------
_DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def needs_protection(text: str) -> bool:
    """A cell Excel or LibreOffice could evaluate as a formula."""
    return text.startswith(_DANGEROUS)


def protect(text: str) -> str:
    """``'=cmd`` instead of ``=cmd`` (and ``''x`` for a text that already starts with ``'`` +
    one of those characters, so that :func:`unprotect` gives back exactly the original)."""
    if needs_protection(text) or (text.startswith("'") and text[1:].startswith((*_DANGEROUS, "'"))):
        return "'" + text
    return text


def unprotect(text: str) -> str:
    if text.startswith("'") and text[1:].startswith((*_DANGEROUS, "'")):
        return text[1:]
    return text


# --- rows ⇄ questions --------------------------------------------------------------------
def _allowed(enum: type) -> dict[str, str]:
    return {lang: ", ".join(member.label(lang) for member in enum) for lang in LANGUAGES}


_TRUE_WORDS = {"dung", "d", "true", "t", "a"}
_FALSE_WORDS = {"sai", "s", "false", "f", "b"}


def parse_correct(text: str, count: int, true_false: bool) -> tuple[set[int], list[Problem]]:
    """``"B"`` → {1}; ``"A;C"``, ``"A, C"``, ``"AC"`` → {0, 2}; for true/false also ``Đúng``/``Sai``."""
    text = text.strip()
    if not text:
        return set(), []
    if true_false and fold(text) in _TRUE_WORDS | _FALSE_WORDS:
        return ({0} if fold(text) in _TRUE_WORDS else {1}), []
    tokens = [token for token in re.split(r"[\s;,/+&]+", text.upper()) if token]
    if not tokens or not all(re.fullmatch(r"[A-H]+", token) for token in tokens):
        return set(), [Problem("correct", "bad_correct", {"value": text})]
    indexes = {OPTION_LETTERS.index(letter) for token in tokens for letter in token}
    problems = [
        Problem("correct", "correct_out_of_range", {"letter": OPTION_LETTERS[index]})
        for index in sorted(indexes)
        if index >= count
    ]
    return {index for index in indexes if index < count}, problems


def _parse_enum(text: str, enum: type, code: str, field_name: str, problems: list[Problem]):
    member = enum.parse(text)
    if member is None:
        problems.append(Problem(field_name, code, {"value": text, "allowed": _allowed(enum)}))
    return member


def row_to_question(values: dict[str, str]) -> tuple[Question, list[Problem]]:
    """One question from the cells of a row (field → text, already unprotected)."""
    problems: list[Problem] = []

    def get(field_name: str) -> str:
        return (values.get(field_name) or "").strip()

    type_text = get("type")
    question_type = _parse_enum(type_text, QuestionType, "unknown_type", "type", problems) if type_text else None
    languages = [
        lang
        for lang in LANGUAGES
        if get(f"stem.{lang}") or any(get(f"options[{i}].{lang}") for i in range(MAX_OPTIONS))
    ]
    counts = {}
    for lang in languages:
        filled = [i for i in range(MAX_OPTIONS) if get(f"options[{i}].{lang}")]
        counts[lang] = filled[-1] + 1 if filled else 0
        if question_type is QuestionType.TRUE_FALSE and not filled:
            counts[lang] = 2
            for i, texts in enumerate(TRUE_FALSE_TEXTS):
                values[f"options[{i}].{lang}"] = texts[lang]
    count = max(counts.values(), default=0)
    for lang in languages:
        for i in range(counts[lang]):
            if not get(f"options[{i}].{lang}"):
                problems.append(Problem(f"options[{i}].{lang}", "option_gap", {"letter": OPTION_LETTERS[i]}))
    options = [
        Option({lang: clean_html(get(f"options[{i}].{lang}"), f"options[{i}].{lang}", problems) for lang in languages})
        for i in range(count)
    ]
    correct, correct_problems = parse_correct(get("correct"), count, question_type is QuestionType.TRUE_FALSE)
    problems += correct_problems
    for index in correct:
        options[index].correct = True
    if question_type is None:
        question_type = QuestionType.MULTIPLE if len(correct) > 1 else QuestionType.SINGLE
    pillar_text, difficulty_text = get("pillar"), get("difficulty")
    pillar = _parse_enum(pillar_text, Pillar, "unknown_pillar", "pillar", problems) if pillar_text else None
    difficulty = Difficulty.MEDIUM
    if difficulty_text:
        difficulty = _parse_enum(difficulty_text, Difficulty, "unknown_difficulty", "difficulty", problems) or difficulty
    tags = [slugify(tag) for tag in re.split(r"[;,\n]", get("tags")) if slugify(tag)]
    question = Question(
        type=question_type,
        stem={lang: clean_html(get(f"stem.{lang}"), f"stem.{lang}", problems) for lang in languages},
        options=options,
        explanation={
            lang: clean_html(get(f"explanation.{lang}"), f"explanation.{lang}", problems)
            for lang in LANGUAGES
            if get(f"explanation.{lang}")
        },
        pillar=pillar,
        tags=list(dict.fromkeys(tags)),
        difficulty=difficulty,
        source=get("source"),
        name=get("name"),
        key=get("key") or None,
    )
    return question, problems


def _editable(html: str) -> str:
    text = editable_text(html)
    return html if text is None else text


def question_to_row(question: Question, language: str = "vi") -> list[str]:
    """The cells of one template row, in :data:`COLUMNS` order (labels in ``language``)."""
    values = {
        "key": question.key or "",
        "type": question.type.label(language),
        "pillar": question.pillar.label(language) if question.pillar else "",
        "tags": "; ".join(question.tags),
        "difficulty": question.difficulty.label(language),
        "correct": ";".join(OPTION_LETTERS[i] for i in question.correct_indexes if i < len(OPTION_LETTERS)),
        "source": question.source,
        "name": question.name,
    }
    for lang, text in question.stem.items():
        values[f"stem.{lang}"] = _editable(text)
    for lang, text in question.explanation.items():
        values[f"explanation.{lang}"] = _editable(text)
    for index, option in enumerate(question.options):
        for lang, text in option.text.items():
            values[f"options[{index}].{lang}"] = _editable(text)
    return [values.get(column.field, "") for column in COLUMNS]


def is_blank(cells: list[str]) -> bool:
    return not any(cell.strip() for cell in cells)
