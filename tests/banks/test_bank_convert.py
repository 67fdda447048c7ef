"""The one conversion between question rows and ``question_bank.Question``."""
from __future__ import annotations

from conftest import sample_questions
from sqlalchemy import select

from quiz.banks.convert import normalized, question_to_domain, search_text
from quiz.banks.inserting import insert_questions
from quiz.banks.questions import add_question
from quiz.models import Question


def test_orm_and_domain_round_trip_every_field(db_session, make_bank):
    bank = make_bank()
    originals = sample_questions()
    stored = [add_question(db_session, bank, q, None) for q in originals]
    db_session.flush()
    db_session.expire_all()
    assert [question_to_domain(db_session.get(Question, q.id)).to_dict() for q in stored] == \
        [q.to_dict() for q in originals]


def test_bulk_insert_stores_the_same_as_one_by_one(db_session, make_bank):
    one, bulk = make_bank("Một"), make_bank("Nhiều")
    for q in sample_questions():
        add_question(db_session, one, q, None)
    ids = insert_questions(db_session, bulk, sample_questions(), None)
    db_session.flush()
    db_session.expire_all()

    def content(bank):
        rows = db_session.scalars(select(Question).where(Question.bank_id == bank.id).order_by(Question.id))
        return [(q.type, q.pillar, q.difficulty, q.languages, q.search_text, [t.tag for t in q.tags],
                 question_to_domain(q).to_dict()) for q in rows]

    assert content(one) == content(bulk) and len(ids) == 3
    assert db_session.get(Question, ids[0]).current_revision.number == 1


def test_search_text_is_folded_plain_text_of_every_language():
    question = sample_questions()[1]
    assert search_text(question) == ("nhung nuoc nao la thanh vien sang lap asean? "
                                      "which countries are founding members of asean? thanh vien sang lap "
                                      "thanh-vien-sang-lap")


def test_normalized_is_what_reads_back(db_session, make_bank):
    question = sample_questions()[0]
    question.tags = ["the-che", "hien-chuong", "the-che"]
    question.stem["vi"] = "Dòng 1\nDòng 2"
    stored = add_question(db_session, make_bank(), question, None)
    db_session.flush()
    assert normalized(question).to_dict() == question_to_domain(stored).to_dict()
