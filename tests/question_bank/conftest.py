"""Fixtures for the question_bank tests."""

from __future__ import annotations

import pytest
from qb_samples import PNG, multiple_question, single_question, true_false_question

from question_bank.model import Question


@pytest.fixture
def questions() -> list[Question]:
    return [single_question(), multiple_question(), true_false_question()]


@pytest.fixture
def png() -> bytes:
    return PNG
