"""Large imports (issue 15, #6): a file may hold more keys than one SQL statement takes parameters; the
look-ups are batched, and a file over the questions-per-import limit is refused with a 400 naming it."""
from __future__ import annotations

import io
import re
import sqlite3

import pytest
from sqlalchemy import func, select

import question_bank as qb
from question_bank import formats
from quiz.models import Question
from tests.conftest import ON_POSTGRES


@pytest.fixture
def bank(db_session, world, make_bank):
    bank = make_bank("Ngân hàng của Sở")
    db_session.commit()
    return bank


def _keyed(count: int, start: int = 0) -> list[qb.Question]:
    return [qb.Question(type=qb.QuestionType.SINGLE, key=f"cau-{i}",
                        stem={"vi": f"Câu hỏi số {i}: nước nào gia nhập ASEAN năm {1967 + i % 50}?"},
                        options=[qb.Option({"vi": "Việt Nam"}, True), qb.Option({"vi": "Lào"})])
            for i in range(start, start + count)]


def _upload(client, bank, data: bytes, name: str):
    return client.post(f"/banks/{bank.id}/import", data={"file": (io.BytesIO(data), name), "language": "vi"},
                       content_type="multipart/form-data")


@pytest.mark.skipif(ON_POSTGRES, reason="lowers SQLite's limit on parameters (the PostgreSQL test below is real)")
def test_an_import_with_more_keys_than_a_statement_takes_is_previewed_and_imported_not_answered_as_an_outage(
        app, client, login_as, world, bank, db_session):
    from quiz.banks.inserting import insert_questions

    insert_questions(db_session, bank, _keyed(3), None)  # three keys of the file are in the bank already
    db_session.commit()
    # An SQLite built with the old default (999 parameters a statement): a 1,000-key file is more than that.
    connection = db_session.connection().connection.dbapi_connection
    connection.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 999)
    app.extensions["quiz_db"].engine.dialect.insertmanyvalues_max_parameters = 999
    login_as(world.admin)
    data = formats.write(_keyed(1000), "csv")
    preview = _upload(client, bank, data, "cau-hoi.csv")
    page = preview.get_data(as_text=True)
    assert preview.status_code == 200, page[:2000]
    assert "Retry-After" not in preview.headers
    assert "1000" in page and "997" in page  # 1,000 valid questions, 997 new, 3 updating
    confirm = re.search(r'action="(/banks/\d+/import/[A-Za-z0-9_-]+)"', page).group(1)
    assert client.post(confirm, data={}).status_code == 302
    assert db_session.scalar(select(func.count()).select_from(Question).where(Question.bank_id == bank.id)) == 1000


@pytest.mark.postgres
def test_seventy_thousand_keys_are_looked_up_in_the_bank_on_postgresql(db_session, bank):
    """PostgreSQL's limit (65,535 parameters a statement) is real here: one IN of 70,000 keys fails."""
    from quiz.banks.importing import keys_in_bank
    from quiz.banks.inserting import insert_questions

    ids = insert_questions(db_session, bank, _keyed(2, start=69_998), None)
    keys = [f"cau-{i}" for i in range(70_000)]
    assert keys_in_bank(db_session, bank.id, keys) == {"cau-69998": ids[0], "cau-69999": ids[1]}


def test_a_file_over_the_questions_limit_is_refused_with_a_400_naming_the_limit_and_the_file(
        app, client, login_as, world, bank, db_session):
    app.config["BANK_IMPORT_MAX_QUESTIONS"] = 50
    login_as(world.admin)
    refused = _upload(client, bank, formats.write(_keyed(51), "csv"), "ca-nam.csv")
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400
    assert "ca-nam.csv: tệp có hơn 50 câu hỏi, quá giới hạn của một lần nhập" in page
    assert "Retry-After" not in refused.headers
    assert _upload(client, bank, formats.write(_keyed(50), "csv"), "ca-nam.csv").status_code == 200
    assert app.config["BANK_IMPORT_MAX_QUESTIONS"] == 50 and formats.MAX_QUESTIONS == 10_000
