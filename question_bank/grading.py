"""Scoring an answer to a question.

Every question is worth at most 1 (:data:`MAX_SCORE`); the contest decides how many points
that is.  The rule (documented in ``docs/question-format.md``, "Grading one answer"):

* ``single`` and ``true_false``: 1 if exactly the correct option is selected, else 0.
* ``multiple`` with *k* correct options: each correct option selected earns 1/k, each wrong
  option selected costs 1/k, and the total is floored at 0.  Selecting every option therefore
  scores (k − number of wrong options)/k, usually 0: guessing "all of them" is not rewarded.
"""

from __future__ import annotations

from collections.abc import Iterable
from fractions import Fraction

from .model import Question, QuestionType

MAX_SCORE = Fraction(1)


def max_score(question: Question) -> Fraction:
    """The best score ``grade`` can give ``question``: always 1."""
    return MAX_SCORE


def grade(question: Question, selected: Iterable[int]) -> Fraction:
    """Score in [0, 1] for the option indexes ``selected`` (0-based).

    Raises ``ValueError`` for an index that is not an option of the question (a caller bug or
    a tampered form, not a wrong answer)."""
    chosen = set(selected)
    count = len(question.options)
    outside = sorted(index for index in chosen if not isinstance(index, int) or not 0 <= index < count)
    if outside:
        raise ValueError(f"option indexes {outside} are not in 0..{count - 1}")
    correct = set(question.correct_indexes)
    if not correct:
        return Fraction(0)
    if question.type is not QuestionType.MULTIPLE:
        return MAX_SCORE if chosen == correct else Fraction(0)
    step = Fraction(1, len(correct))
    score = step * len(chosen & correct) - step * len(chosen - correct)
    return max(Fraction(0), min(MAX_SCORE, score))
