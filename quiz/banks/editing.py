"""The question form: its fields ↔ ``question_bank.Question``.

The form posts flat fields (``stem_vi``, ``option_3_en``, ``correct_3``, …) so that it works without
JavaScript; the editor script only shows and hides option rows and asks for the live preview.
Texts accept the limited formatting of the question format (``<b>``, ``<i>``, lists, ``<br>``,
``<img src="name.png">``); plain text is kept as typed (line breaks become ``<br>``).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import question_bank as qb
from question_bank.markup import editable_text
from question_bank.model import MAX_OPTIONS, TRUE_FALSE_TEXTS

LANGS = qb.LANGUAGES


@dataclass
class OptionRow:
    index: int
    text: dict[str, str] = field(default_factory=dict)
    correct: bool = False

    @property
    def letter(self) -> str:
        return "ABCDEFGH"[self.index]

    @property
    def empty(self) -> bool:
        return not any(v.strip() for v in self.text.values()) and not self.correct


@dataclass
class QuestionForm:
    """What the edit page shows and posts (texts as typed: plain or limited HTML)."""

    type: str = "single"
    stem: dict[str, str] = field(default_factory=dict)
    options: list[OptionRow] = field(default_factory=list)
    explanation: dict[str, str] = field(default_factory=dict)
    pillar: str = ""
    tags: str = ""
    difficulty: str = "medium"
    source: str = ""
    name: str = ""
    key: str = ""

    def __post_init__(self) -> None:
        while len(self.options) < MAX_OPTIONS:
            self.options.append(OptionRow(len(self.options)))

    @property
    def shown_options(self) -> int:
        """How many option rows to show: the last filled one, at least 4 (2 for true/false)."""
        filled = [row.index for row in self.options if not row.empty]
        least = 2 if self.type == "true_false" else 4
        return max([least] + [i + 1 for i in filled])


def from_request(form) -> QuestionForm:
    """Read the posted form (a ``MultiDict``); nothing is refused here, :func:`to_domain` validates."""
    def text(name: str) -> str:
        return (form.get(name) or "").replace("\r\n", "\n").strip()

    options = [OptionRow(i, {lang: text(f"option_{i}_{lang}") for lang in LANGS}, form.get(f"correct_{i}") == "on")
               for i in range(MAX_OPTIONS)]
    return QuestionForm(type=text("type") or "single", stem={lang: text(f"stem_{lang}") for lang in LANGS},
                        options=options, explanation={lang: text(f"explanation_{lang}") for lang in LANGS},
                        pillar=text("pillar"), tags=text("tags"), difficulty=text("difficulty") or "medium",
                        source=text("source"), name=text("name"), key=text("key"))


def _editable(value: str) -> str:
    plain = editable_text(value or "")
    return value if plain is None else plain


def from_domain(domain: qb.Question) -> QuestionForm:
    options = [OptionRow(i, {lang: _editable(o.text.get(lang, "")) for lang in LANGS}, o.correct)
               for i, o in enumerate(domain.options)]
    return QuestionForm(type=domain.type.value, stem={lang: _editable(domain.stem.get(lang, "")) for lang in LANGS},
                        options=options,
                        explanation={lang: _editable(domain.explanation.get(lang, "")) for lang in LANGS},
                        pillar=domain.pillar.value if domain.pillar else "", tags=", ".join(domain.tags),
                        difficulty=domain.difficulty.value, source=domain.source, name=domain.name,
                        key=domain.key or "")


def parse_tags(text: str) -> list[str]:
    """``"Hiến chương, thể chế"`` → ``["hien-chuong", "the-che"]`` (typed tags are turned into slugs)."""
    tags = [qb.slugify(part) for part in text.replace(";", ",").split(",")]
    return sorted({tag for tag in tags if tag})


def to_domain(data: QuestionForm) -> tuple[qb.Question | None, list[qb.Problem]]:
    """The question the form describes, or ``None`` and the problems of fields that cannot be read
    (unknown type, pillar, difficulty). The question itself is validated by the caller."""
    problems: list[qb.Problem] = []

    def allowed(enum) -> dict[str, str]:
        return {lang: ", ".join(member.label(lang) for member in enum) for lang in LANGS}

    qtype = qb.QuestionType.parse(data.type)
    if qtype is None:
        problems.append(qb.Problem("type", "unknown_type", {"value": data.type, "allowed": allowed(qb.QuestionType)}))
    pillar = qb.Pillar.parse(data.pillar) if data.pillar else None
    if data.pillar and pillar is None:
        problems.append(qb.Problem("pillar", "unknown_pillar", {"value": data.pillar, "allowed": allowed(qb.Pillar)}))
    difficulty = qb.Difficulty.parse(data.difficulty)
    if difficulty is None:
        problems.append(qb.Problem("difficulty", "unknown_difficulty",
                                   {"value": data.difficulty, "allowed": allowed(qb.Difficulty)}))
    if problems:
        return None, problems
    rows = [row for row in data.options if not row.empty]
    if qtype is qb.QuestionType.TRUE_FALSE and all(not any(r.text.values()) for r in rows[:2]):
        # True/false without typed texts: "Đúng"/"Sai" in the languages of the stem.
        langs = [lang for lang in LANGS if data.stem.get(lang)] or ["vi"]
        rows = [OptionRow(i, {lang: TRUE_FALSE_TEXTS[i][lang] for lang in langs},
                          data.options[i].correct) for i in range(2)]
    domain = qb.Question(
        type=qtype, stem={lang: t for lang, t in data.stem.items() if t},
        options=[qb.Option({lang: t for lang, t in row.text.items() if t}, row.correct) for row in rows],
        explanation={lang: t for lang, t in data.explanation.items() if t}, pillar=pillar,
        tags=parse_tags(data.tags), difficulty=difficulty, source=data.source, name=data.name,
        key=data.key or None)
    return domain, []
