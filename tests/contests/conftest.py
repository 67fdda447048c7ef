"""Fixtures for the organisers' pages of contests (tests/contests)."""
from __future__ import annotations

import pytest


@pytest.fixture
def asean_bank(make_bank, make_question, db_session):
    """A province bank with approved questions: history easy ×4, history hard ×2, economic medium ×3,
    plus a draft history/easy one that must never count."""
    from quiz.models import QuestionStatus

    bank = make_bank("Ngân hàng ASEAN của Sở")
    questions = {"history:easy": [make_question(bank, pillar="history", difficulty="easy") for _ in range(4)],
                 "history:hard": [make_question(bank, pillar="history", difficulty="hard") for _ in range(2)],
                 "economic:medium": [make_question(bank, pillar="economic", difficulty="medium") for _ in range(3)]}
    make_question(bank, pillar="history", difficulty="easy", status=QuestionStatus.DRAFT)
    db_session.commit()
    bank.questions_by_cell = questions
    return bank
