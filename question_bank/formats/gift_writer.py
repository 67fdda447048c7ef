"""Writing GIFT, one language per file.

A ``$CATEGORY:`` line before each run of questions of the same pillar; ``// [id:KEY] [tag:TAG]``
before a question with a key or tags; ``::name::``; ``[html]`` when a text needs markup or line
breaks; ``=right ~wrong`` for single choice, ``~%50%right ~%-50%wrong`` for multiple choice
(the weights of :func:`.moodle_xml_writer.fractions`); ``{T}``/``{F}``; ``####explanation``.
"""

from __future__ import annotations

from ..markup import editable_text
from ..model import Question, QuestionType
from .categories import category_path
from .gift_escapes import escape
from .moodle_xml_writer import fractions


def _needs_html(texts: list[str]) -> bool:
    for text in texts:
        plain = editable_text(text)
        if plain is None or "\n" in plain:
            return True
    return False


def _text(html: str, as_html: bool) -> str:
    if as_html:
        return escape(html)
    plain = editable_text(html)
    return escape(html if plain is None else plain)


def _question(question: Question, language: str) -> str:
    stem = question.stem.get(language, "")
    explanation = question.explanation.get(language, "")
    options = [option.text.get(language, "") for option in question.options]
    as_html = _needs_html([stem, explanation, *options])
    lines = []
    metadata = ([f"[id:{question.key}]"] if question.key else []) + [f"[tag:{tag}]" for tag in question.tags]
    if metadata:
        lines.append("// " + " ".join(metadata))
    head = f"::{escape(question.name)}::" if question.name else ""
    head += ("[html]" if as_html else "") + _text(stem, as_html)
    general = f"####{_text(explanation, as_html)}" if explanation else ""
    if question.type is QuestionType.TRUE_FALSE:
        answer = "T" if question.options and question.options[0].correct else "F"
        lines.append(f"{head} {{{answer}{general}}}")
        return "\n".join(lines)
    lines.append(head + " {")
    weights = fractions(question)
    for option, text, weight in zip(question.options, options, weights):
        if question.type is QuestionType.SINGLE:
            prefix = "=" if option.correct else "~"
        else:
            prefix = f"~%{weight}%"
        lines.append(f"\t{prefix}{_text(text, as_html)}")
    if general:
        lines.append(f"\t{general}")
    lines.append("}")
    return "\n".join(lines)


def write(questions: list[Question], *, language: str = "vi") -> bytes:
    chunks = []
    current: object = object()
    for question in questions:
        if question.pillar != current:
            current = question.pillar
            chunks.append(f"$CATEGORY: {category_path(question.pillar, language)}")
        chunks.append(_question(question, language))
    return ("\n\n".join(chunks) + "\n").encode("utf-8")
