"""The built-in ASEAN bank (question_bank/data/asean/*.json): it loads, it is complete and balanced,
and it never states as current fact that ASEAN has ten members (Timor-Leste is the 11th since
26 October 2025).

The rule for member counts (see ``claims_ten_members_as_current_fact``): a sentence that says ASEAN
has ten members ("10 quốc gia thành viên", "mười nước ASEAN", "ASEAN-10", "ten member states",
"ASEAN has 10"...) is allowed only when the same sentence anchors it in the past: a year from 1967
to 2024, or "khi đó / lúc đó / thời điểm đó / trước khi / at the time / then / before / until".
Ordinals are checked separately: "the tenth member" must be about Cambodia and "the 11th member"
about Timor-Leste.
"""

from __future__ import annotations

import difflib
import json
import re
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

from question_bank.formats import read
from question_bank.model import Difficulty, Pillar, QuestionType

DATA = Path(__file__).resolve().parents[2] / "question_bank" / "data" / "asean"
FILES = ("history.json", "members.json", "pillars.json")
KEY_PREFIX = {"history.json": "hist-", "members.json": "mem-", "pillars.json": "pil-"}
LANGS = ("vi", "en")
FIELDS = {"key", "type", "pillar", "difficulty", "tags", "source", "stem", "options", "explanation"}

# The topics the issue asks the bank to cover, as tags, with the fewest questions each must have.
TOPICS = {
    "founding": 8, "enlargement": 10,                      # founding and history
    "charter": 20, "institutions": 15,                     # the Charter and institutions
    "apsc": 25, "aec": 25, "ascc": 25,                     # each of the three community pillars
    "identity": 10, "symbols": 10,                         # identity and symbols
    "member-states": 40,                                   # capitals, culture, geography
    "vietnam-in-asean": 30,                                # accession, chairmanships, contributions
    "milestones": 15,                                      # recent milestones up to 2026
}

HISTORICAL = re.compile(
    r"\b(19[6-9]\d|20[01]\d|202[0-4])\b"
    r"|khi đó|khi ấy|lúc đó|thời điểm đó|thời đó|trước khi|trước năm"
    r"|\bthen\b|\bat the time\b|\bthat time\b|\bbefore\b|\buntil\b",
    re.IGNORECASE,
)
TEN_MEMBERS = re.compile(
    r"\b(?:10|mười)\s+(?:quốc gia\s+|nước\s+)?thành viên"
    r"|\b(?:10|mười)\s+(?:quốc gia|nước)\s+ASEAN"
    r"|\bASEAN\s+(?:có|gồm)\s+(?:10|mười)\b"
    r"|\bASEAN[\s-]*10\b"
    r"|\b(?:10|ten)\s+(?:ASEAN\s+)?member(?:s|\s+states|\s+countries|\s+nations)?\b"
    r"|\b(?:10|ten)\s+ASEAN\s+(?:countries|nations|states)\b"
    r"|\b(?:10|ten)-member\b"
    r"|\bASEAN\s+(?:has|had|comprises|consists\s+of|is\s+made\s+up\s+of)\s+(?:10|ten)\b",
    re.IGNORECASE,
)
TENTH_MEMBER = re.compile(r"thành viên thứ (?:10|mười)(?!\s+một)\b|\b(?:10th|tenth) member", re.IGNORECASE)
ELEVENTH_MEMBER = re.compile(r"thành viên thứ (?:11|mười một)\b|\b(?:11th|eleventh) member", re.IGNORECASE)
SENTENCE_END = re.compile(r"(?<=[.!?])(?<!\b[A-Z]\.)\s+(?=[A-ZÀ-ỸĐ\"“‘(])")

MEMBERS_BEFORE_2025 = {
    "vi": ("Brunei", "Campuchia", "Indonesia", "Lào", "Malaysia", "Myanmar", "Philippines", "Singapore",
           "Thái Lan", "Việt Nam"),
    "en": ("Brunei", "Cambodia", "Indonesia", "Lao", "Malaysia", "Myanmar", "Philippines", "Singapore",
           "Thailand", "Viet Nam"),
}


def sentences(text: str) -> list[str]:
    return [part for part in SENTENCE_END.split(text.strip()) if part]


def claims_ten_members_as_current_fact(text: str) -> list[str]:
    """The sentences of ``text`` that say ASEAN has ten members without anchoring it in the past."""
    return [s for s in sentences(text) if TEN_MEMBERS.search(s) and not HISTORICAL.search(s)]


def misattributed_ordinals(text: str, answer: str = "") -> list[str]:
    """Sentences calling someone other than Cambodia the tenth member, or other than Timor-Leste the 11th.
    For a stem, ``answer`` is the text of its correct option(s): "Which country became the 11th member?"
    is right when the answer is Timor-Leste."""
    wrong = []
    for s in sentences(text):
        about = s + " " + answer
        if TENTH_MEMBER.search(s) and not re.search(r"Campuchia|Cambodia", about):
            wrong.append(s)
        if ELEVENTH_MEMBER.search(s) and "Timor-Leste" not in about:
            wrong.append(s)
    return wrong


def texts(raw: dict):
    """Every (place, language, text) of a raw question."""
    for part in ("stem", "explanation"):
        for lang in LANGS:
            yield part, lang, raw[part].get(lang, "")
    for number, option in enumerate(raw["options"], start=1):
        for lang in LANGS:
            yield f"option {number}", lang, option.get(lang, "")


@pytest.fixture(scope="module")
def raw_bank() -> dict[str, list[dict]]:
    return {name: json.loads((DATA / name).read_text(encoding="utf-8")) for name in FILES}


@pytest.fixture(scope="module")
def bank():
    questions = []
    for name in FILES:
        result = read((DATA / name).read_bytes(), name)
        assert result.ok, [problem.describe() for problem in result.problems]
        questions += result.question_list
    return questions


# --- the files load, completely, in the native format --------------------------------------------

@pytest.mark.parametrize("name", FILES)
def test_each_file_reads_as_native_json_without_problems(name):
    result = read((DATA / name).read_bytes(), name)
    assert result.format == "json"
    assert result.ok and not result.problems, [problem.describe() for problem in result.problems]
    assert len(result.question_list) >= 100


@pytest.mark.parametrize("name", FILES)
def test_files_keep_the_native_layout_and_only_native_fields(name, raw_bank):
    text = (DATA / name).read_text(encoding="utf-8")
    assert text == json.dumps(raw_bank[name], ensure_ascii=False, indent=2) + "\n"
    for raw in raw_bank[name]:
        assert set(raw) == FIELDS, raw.get("key")
        assert raw["key"].startswith(KEY_PREFIX[name]) and re.fullmatch(r"[a-z0-9-]+", raw["key"])


def test_the_bank_has_at_least_300_questions_with_unique_keys(bank):
    keys = [question.key for question in bank]
    assert len(bank) >= 300
    assert all(keys) and len(set(keys)) == len(keys)


def test_every_question_is_complete_in_both_languages(bank):
    for question in bank:
        where = question.key
        assert question.languages == LANGS, where
        for lang in LANGS:
            assert question.stem.get(lang, "").strip(), (where, "stem", lang)
            assert question.explanation.get(lang, "").strip(), (where, "explanation", lang)
            for option in question.options:
                assert option.text.get(lang, "").strip(), (where, "option", lang)
        assert len(question.source.strip()) >= 10, where
        assert question.pillar is not None and question.tags, where
        assert all(re.fullmatch(r"[a-z0-9-]+", tag) for tag in question.tags), where
        assert len(set(question.tags)) == len(question.tags), where


def test_every_raw_question_states_its_difficulty_explicitly(raw_bank):
    for questions in raw_bank.values():
        for raw in questions:
            assert Difficulty(raw["difficulty"]), raw["key"]


def test_answers_are_well_formed(bank):
    for question in bank:
        correct = question.correct_indexes
        if question.type is QuestionType.SINGLE:
            assert len(correct) == 1 and len(question.options) >= 3, question.key
        elif question.type is QuestionType.TRUE_FALSE:
            assert [option.text["vi"] for option in question.options] == ["Đúng", "Sai"], question.key
            assert len(correct) == 1, question.key
        else:
            assert 1 <= len(correct) < len(question.options), question.key
        for lang in LANGS:
            shown = [" ".join(option.text[lang].casefold().split()) for option in question.options]
            assert len(set(shown)) == len(shown), (question.key, lang, "two identical options")


def test_explanations_teach_in_one_to_three_sentences_that_match_the_verdict(bank):
    for question in bank:
        for lang in LANGS:
            count = len(sentences(question.explanation[lang]))
            assert 1 <= count <= 3, (question.key, lang, count)
        if question.type is QuestionType.TRUE_FALSE:
            verdict = question.correct_indexes == [0]
            assert question.explanation["vi"].startswith("Đúng" if verdict else "Sai") or not re.match(
                r"(Đúng|Sai)\b", question.explanation["vi"]), question.key
            assert question.explanation["en"].startswith("True" if verdict else "False") or not re.match(
                r"(True|False)\b", question.explanation["en"]), question.key


def test_vietnamese_text_has_diacritics_and_every_text_is_nfc(raw_bank):
    mojibake = re.compile(r"Ã.|Ä.|Æ.|â€")
    for questions in raw_bank.values():
        for raw in questions:
            assert re.search(r"[à-ỹđ]", raw["stem"]["vi"].lower()), raw["key"]
            assert re.search(r"[à-ỹđ]", raw["explanation"]["vi"].lower()), raw["key"]
            assert raw["stem"]["vi"] != raw["stem"]["en"], raw["key"]
            for place, lang, text in texts(raw):
                assert unicodedata.is_normalized("NFC", text), (raw["key"], place, lang)
                assert not mojibake.search(text), (raw["key"], place, lang)
                assert text == text.strip() and "  " not in text, (raw["key"], place, lang)


def test_no_two_questions_duplicate_each_other(bank):
    def norm(text: str) -> str:
        return " ".join(re.sub(r"[^\w\s]", " ", text.casefold()).split())

    stems = [norm(question.stem["vi"]) for question in bank]
    for i in range(len(stems)):
        for j in range(i + 1, len(stems)):
            matcher = difflib.SequenceMatcher(None, stems[i], stems[j])
            if matcher.real_quick_ratio() < 0.9 or matcher.quick_ratio() < 0.9:
                continue
            assert matcher.ratio() < 0.9, (bank[i].key, bank[j].key)


# --- balance -------------------------------------------------------------------------------------

def test_each_pillar_has_at_least_40_questions(bank):
    counts = Counter(question.pillar for question in bank)
    for pillar in Pillar:
        assert counts[pillar] >= 40, (pillar, counts)


def test_every_topic_of_the_issue_is_covered(bank):
    counts = Counter(tag for question in bank for tag in question.tags)
    for tag, least in TOPICS.items():
        assert counts[tag] >= least, (tag, counts[tag], least)
    milestones = [question for question in bank if "milestones" in question.tags]
    recent = [q for q in milestones if re.search(r"\b202[5-6]\b", q.stem["vi"] + q.explanation["vi"])]
    assert len(recent) >= 8
    assert any("2026" in q.stem["vi"] + q.explanation["vi"] for q in milestones)


def test_difficulties_and_question_types_are_mixed(bank):
    difficulties = Counter(question.difficulty for question in bank)
    assert all(difficulties[level] >= len(bank) // 6 for level in Difficulty), difficulties
    types = Counter(question.type for question in bank)
    assert all(types[kind] >= 15 for kind in QuestionType), types
    positions = Counter(q.correct_indexes[0] for q in bank if q.type is QuestionType.SINGLE and len(q.options) == 4)
    assert all(positions[index] >= sum(positions.values()) // 8 for index in range(4)), positions


# --- ASEAN has 11 members --------------------------------------------------------------------------

def test_the_ten_member_guard_flags_current_claims_and_allows_historical_ones():
    flagged = [
        "ASEAN có 10 quốc gia thành viên.",
        "Hiện nay mười nước ASEAN cùng hợp tác.",
        "ASEAN gồm 10 nước: Brunei, Campuchia, Indonesia.",
        "ASEAN's ten member states meet every year.",
        "ASEAN has 10 members.",
        "The ASEAN-10 is a market of 680 million people.",
        "Đúng. Lào là thành viên thứ mười của ASEAN.",
        "Indonesia became the 11th member.",
    ]
    allowed = [
        "Sau khi Campuchia gia nhập ngày 30/4/1999, ASEAN có 10 quốc gia thành viên.",
        "ASEAN-10 was completed in 1999.",
        "Hiến chương được mười nước thành viên khi đó phê chuẩn.",
        "At the time, ASEAN had ten members.",
        "Campuchia là thành viên thứ mười.",
        "Timor-Leste became the 11th member on 26 October 2025.",
        "Có dân số trên 10 triệu người.",
    ]
    for text in flagged:
        assert claims_ten_members_as_current_fact(text) or misattributed_ordinals(text), text
    for text in allowed:
        assert not claims_ten_members_as_current_fact(text) and not misattributed_ordinals(text), text
    stem = "Quốc gia nào trở thành thành viên thứ 11 của ASEAN?"
    assert misattributed_ordinals(stem, answer="Papua New Guinea")
    assert not misattributed_ordinals(stem, answer="Timor-Leste")


def test_no_text_states_that_asean_has_ten_members_as_current_fact(raw_bank):
    problems = []
    for questions in raw_bank.values():
        for raw in questions:
            for place, lang, text in texts(raw):
                answer = " ".join(o[lang] for o in raw["options"] if o.get("correct")) if place == "stem" else ""
                for sentence in claims_ten_members_as_current_fact(text) + misattributed_ordinals(text, answer):
                    problems.append((raw["key"], place, lang, sentence))
    assert not problems


def test_a_list_of_all_other_members_always_includes_timor_leste(raw_bank):
    for questions in raw_bank.values():
        for raw in questions:
            for place, lang, text in texts(raw):
                for sentence in sentences(text):
                    if all(name in sentence for name in MEMBERS_BEFORE_2025[lang]) and not HISTORICAL.search(sentence):
                        assert "Timor-Leste" in sentence, (raw["key"], place, lang)


def test_timor_leste_is_a_member_in_the_content(bank):
    # how many members: always 11 unless the stem is about an earlier date
    counted = [q for q in bank if re.search(r"bao nhiêu (quốc gia|nước)?\s*thành viên", q.stem["vi"])]
    assert counted
    for question in counted:
        if not HISTORICAL.search(question.stem["vi"]):
            [answer] = question.correct_indexes
            assert question.options[answer].text["vi"] == "11", question.key
    # the full list of the 11 members is given somewhere, in both languages
    for lang in LANGS:
        names = MEMBERS_BEFORE_2025[lang] + ("Timor-Leste",)
        assert any(all(name in q.explanation[lang] for name in names) for q in bank), lang
    # Timor-Leste's admission, capital and membership questions exist and say 26/10/2025
    timor = [q for q in bank if "timor-leste" in q.tags]
    assert len(timor) >= 8
    assert any("member-states" in q.tags for q in timor)
    admission = [q for q in timor if "26/10/2025" in q.explanation["vi"]]
    assert admission and all("26 October 2025" in q.explanation["en"] for q in admission)
