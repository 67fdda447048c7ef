"""The question model: types, pillars, difficulties, options and questions.

``Question.to_dict()``/``Question.from_dict()`` follow the native JSON format described in
``docs/question-format.md``; images travel base64-encoded under an optional ``"images"`` key.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from .markup import fold, to_plain_text

LANGUAGES: tuple[str, ...] = ("vi", "en")
OPTION_LETTERS = "ABCDEFGH"
MIN_OPTIONS = 2
MAX_OPTIONS = 8

# Default option texts of a true/false question, in order: "true" first, then "false".
TRUE_FALSE_TEXTS: tuple[dict[str, str], dict[str, str]] = ({"vi": "Đúng", "en": "True"}, {"vi": "Sai", "en": "False"})


class _LabelledEnum(str, Enum):
    """A ``str`` enum whose members carry a label in each of :data:`LANGUAGES`."""

    def label(self, lang: str = "vi") -> str:
        labels = type(self)._label_table()[self.value]
        return labels.get(lang) or labels["vi"]

    @classmethod
    def _label_table(cls) -> dict[str, dict[str, str]]:
        raise NotImplementedError

    @classmethod
    def _aliases(cls) -> dict[str, list[str]]:
        return {}

    @classmethod
    def parse(cls, text: str) -> "_LabelledEnum | None":
        """The member whose code, label (any language) or alias matches ``text``, ignoring
        accents, case, spaces, ``-``, ``_`` and ``/``; ``None`` when nothing matches."""
        wanted = _loose(text)
        if not wanted:
            return None
        return _lookup(cls).get(wanted)

    def __str__(self) -> str:
        return self.value


def _loose(text: str) -> str:
    return "".join(ch for ch in fold(str(text or "")) if ch.isalnum())


_LOOKUPS: dict[type, dict[str, Any]] = {}


def _lookup(enum: type) -> dict[str, Any]:
    """Every loose name of every member of ``enum`` → the member (built once per enum)."""
    table = _LOOKUPS.get(enum)
    if table is None:
        table = {}
        for member in enum:
            names = [member.value, member.name, *enum._label_table()[member.value].values()]
            for name in names + enum._aliases().get(member.value, []):
                table.setdefault(_loose(name), member)
        _LOOKUPS[enum] = table
    return table


class QuestionType(_LabelledEnum):
    SINGLE = "single"
    MULTIPLE = "multiple"
    TRUE_FALSE = "true_false"

    @classmethod
    def _label_table(cls) -> dict[str, dict[str, str]]:
        return {
            "single": {"vi": "Một lựa chọn", "en": "Single choice"},
            "multiple": {"vi": "Nhiều lựa chọn", "en": "Multiple choice"},
            "true_false": {"vi": "Đúng/Sai", "en": "True/False"},
        }

    @classmethod
    def _aliases(cls) -> dict[str, list[str]]:
        return {
            "single": ["một đáp án", "single answer", "multichoice single"],
            "multiple": ["nhiều đáp án", "multiple answers", "multiple response"],
            "true_false": ["đúng sai", "truefalse", "true false", "tf"],
        }


class Pillar(_LabelledEnum):
    POLITICAL_SECURITY = "political_security"
    ECONOMIC = "economic"
    SOCIO_CULTURAL = "socio_cultural"
    HISTORY = "history"

    @classmethod
    def _label_table(cls) -> dict[str, dict[str, str]]:
        return {
            "political_security": {
                "vi": "Cộng đồng Chính trị - An ninh ASEAN",
                "en": "ASEAN Political-Security Community",
            },
            "economic": {"vi": "Cộng đồng Kinh tế ASEAN", "en": "ASEAN Economic Community"},
            "socio_cultural": {
                "vi": "Cộng đồng Văn hóa - Xã hội ASEAN",
                "en": "ASEAN Socio-Cultural Community",
            },
            "history": {"vi": "Lịch sử và thể chế ASEAN", "en": "ASEAN history & institutions"},
        }

    @classmethod
    def _aliases(cls) -> dict[str, list[str]]:
        return {
            "political_security": ["Chính trị - An ninh", "Cộng đồng Chính trị - An ninh", "Political-Security", "APSC"],
            "economic": ["Kinh tế", "Cộng đồng Kinh tế", "Economic", "AEC"],
            "socio_cultural": ["Văn hóa - Xã hội", "Cộng đồng Văn hóa - Xã hội", "Socio-Cultural", "ASCC"],
            "history": ["Lịch sử", "Lịch sử và thể chế", "History", "ASEAN history and institutions"],
        }


class Difficulty(_LabelledEnum):
    EASY = "easy"
    MEDIUM = "medium"
    HARD = "hard"

    @classmethod
    def _label_table(cls) -> dict[str, dict[str, str]]:
        return {
            "easy": {"vi": "Dễ", "en": "Easy"},
            "medium": {"vi": "Trung bình", "en": "Medium"},
            "hard": {"vi": "Khó", "en": "Hard"},
        }


def language_order(languages: set[str] | list[str]) -> tuple[str, ...]:
    """Known languages in :data:`LANGUAGES` order, then any others alphabetically."""
    known = [lang for lang in LANGUAGES if lang in languages]
    return tuple(known + sorted(set(languages) - set(LANGUAGES)))


def _filled(texts: dict[str, str]) -> set[str]:
    return {lang for lang, text in texts.items() if isinstance(text, str) and text.strip()}


@dataclass
class Option:
    text: dict[str, str]
    correct: bool = False

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = dict(self.text)
        if self.correct:
            data["correct"] = True
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Option":
        texts = {lang: text for lang, text in data.items() if lang != "correct"}
        return cls(text=texts, correct=bool(data.get("correct", False)))


@dataclass
class Question:
    type: QuestionType
    stem: dict[str, str]
    options: list[Option]
    explanation: dict[str, str] = field(default_factory=dict)
    pillar: Pillar | None = None
    tags: list[str] = field(default_factory=list)
    difficulty: Difficulty = Difficulty.MEDIUM
    source: str = ""
    name: str = ""
    key: str | None = None
    images: dict[str, bytes] = field(default_factory=dict)

    @property
    def languages(self) -> tuple[str, ...]:
        """Languages with text in the stem or in any option (known languages first)."""
        found = _filled(self.stem)
        for option in self.options:
            found |= _filled(option.text)
        return language_order(found)

    @property
    def correct_indexes(self) -> list[int]:
        return [index for index, option in enumerate(self.options) if option.correct]

    def text(self, lang: str) -> str:
        """The stem in ``lang``, or in the first language the question has."""
        if self.stem.get(lang):
            return self.stem[lang]
        return next((self.stem[other] for other in self.languages if self.stem.get(other)), "")

    def display_name(self, limit: int = 60) -> str:
        """A short human name for messages: the name, else the key, else the start of the stem."""
        if self.name:
            return self.name
        if self.key:
            return self.key
        words = " ".join(to_plain_text(self.text("vi")).split())
        return words if len(words) <= limit else words[: limit - 1].rstrip() + "…"

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {}
        if self.key is not None:
            data["key"] = self.key
        data["type"] = self.type.value
        if self.pillar is not None:
            data["pillar"] = self.pillar.value
        data["difficulty"] = self.difficulty.value
        data["tags"] = list(self.tags)
        if self.source:
            data["source"] = self.source
        if self.name:
            data["name"] = self.name
        data["stem"] = dict(self.stem)
        data["options"] = [option.to_dict() for option in self.options]
        if self.explanation:
            data["explanation"] = dict(self.explanation)
        if self.images:
            data["images"] = {name: base64.b64encode(blob).decode("ascii") for name, blob in self.images.items()}
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Question":
        """Build a question from a native-format dict.  Raises ``ValueError`` on a bad value;
        use ``question_bank.formats.read`` for located, user-facing problems."""
        try:
            images = {name: base64.b64decode(blob, validate=True) for name, blob in (data.get("images") or {}).items()}
        except (binascii.Error, TypeError) as error:
            raise ValueError(f"invalid base64 image: {error}") from error
        pillar = data.get("pillar")
        return cls(
            type=QuestionType(data.get("type", "single")),
            stem=dict(data.get("stem") or {}),
            options=[Option.from_dict(option) for option in data.get("options") or []],
            explanation=dict(data.get("explanation") or {}),
            pillar=Pillar(pillar) if pillar else None,
            tags=list(data.get("tags") or []),
            difficulty=Difficulty(data.get("difficulty") or "medium"),
            source=data.get("source") or "",
            name=data.get("name") or "",
            key=data.get("key"),
            images=images,
        )
