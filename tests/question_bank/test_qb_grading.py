from fractions import Fraction

import pytest
from qb_samples import multiple_question, single_question, true_false_question

from question_bank.grading import MAX_SCORE, grade, max_score
from question_bank.model import Option, Question, QuestionType


def test_single_choice_scores_one_only_for_exactly_the_correct_option():
    question = single_question()
    assert grade(question, {1}) == 1
    assert grade(question, {0}) == 0
    assert grade(question, set()) == 0
    assert grade(question, {1, 2}) == 0
    assert grade(question, {0, 1, 2, 3}) == 0


def test_true_false_scores_like_single_choice():
    question = true_false_question()
    assert grade(question, {0}) == 1
    assert grade(question, {1}) == 0
    assert grade(question, {0, 1}) == 0


def test_multiple_choice_gives_partial_credit_per_correct_option():
    question = multiple_question()  # correct: 0 and 2 (k = 2)
    assert grade(question, {0, 2}) == 1
    assert grade(question, {0}) == Fraction(1, 2)
    assert grade(question, {2}) == Fraction(1, 2)
    assert grade(question, set()) == 0


def test_multiple_choice_wrong_options_cost_as_much_and_the_score_never_goes_negative():
    question = multiple_question()
    assert grade(question, {0, 1}) == 0
    assert grade(question, {0, 2, 1}) == Fraction(1, 2)
    assert grade(question, {1, 3}) == 0


def test_selecting_every_option_is_not_rewarded():
    question = multiple_question()
    assert grade(question, {0, 1, 2, 3}) == 0
    three_of_four = Question(
        QuestionType.MULTIPLE,
        {"vi": "?"},
        [Option({"vi": "a"}, True), Option({"vi": "b"}, True), Option({"vi": "c"}, True), Option({"vi": "d"})],
    )
    assert grade(three_of_four, {0, 1, 2, 3}) == Fraction(2, 3)
    assert grade(three_of_four, {0, 1, 2}) == 1


def test_scores_are_exact_fractions_between_zero_and_max():
    question = Question(QuestionType.MULTIPLE, {"vi": "?"}, [Option({"vi": str(i)}, i < 3) for i in range(8)])
    for selection in ({0}, {0, 1}, {0, 1, 2}, {0, 5}, {0, 1, 5}, set(range(8))):
        score = grade(question, selection)
        assert isinstance(score, Fraction) and 0 <= score <= MAX_SCORE
    assert grade(question, {0}) == Fraction(1, 3)
    assert max_score(question) == 1


def test_an_index_outside_the_options_is_a_caller_error():
    with pytest.raises(ValueError):
        grade(single_question(), {7})
    with pytest.raises(ValueError):
        grade(single_question(), {-1})
