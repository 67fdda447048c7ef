"""The question list: accent-insensitive search, filters, keyset paging."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from quiz.banks.listing import QuestionFilters, list_questions
from quiz.models import Question, QuestionStatus


@pytest.fixture
def bank(db_session, world, make_bank):
    bank = make_bank("Ngân hàng của Sở")
    db_session.commit()
    return bank


def _ids(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'/questions/(\d+)"', html)]


def test_search_without_accents_finds_vietnamese_text(client, login_as, world, bank, make_question, db_session):
    charter = make_question(bank, stem="Hiến chương ASEAN có hiệu lực từ năm nào?")
    make_question(bank, stem="Thủ đô của Campuchia là gì?")
    db_session.commit()
    login_as(world.teacher1)
    for query in ("hien chuong", "HIẾN CHƯƠNG", "chuong asean", "Hien   Chuong"):
        html = client.get(f"/banks/{bank.id}", query_string={"q": query}).get_data(as_text=True)
        assert _ids(html) == [charter.id], query
    assert _ids(client.get(f"/banks/{bank.id}?q=dong+nam+a").get_data(as_text=True)) == []


def test_search_treats_like_wildcards_as_text(db_session, bank, make_question):
    make_question(bank, stem="Tỉ lệ tăng trưởng 5% mỗi năm?")
    make_question(bank, stem="Tỉ lệ tăng trưởng 50 mỗi năm?")
    db_session.flush()
    page = list_questions(db_session, QuestionFilters(bank_ids=[bank.id], q="5%"))
    assert page.total == 1


def test_filters_by_pillar_tag_difficulty_status_and_language(client, login_as, world, bank, make_question,
                                                              db_session):
    economic = make_question(bank, pillar="economic", difficulty="hard")
    history = make_question(bank, pillar="history", difficulty="easy", status=QuestionStatus.DRAFT)
    from quiz.banks.authoring import bulk_action
    bulk_action(db_session, world.admin, bank, [history.id], "tag", "Hiến chương")
    db_session.commit()
    login_as(world.admin)

    def ids(**args):
        return _ids(client.get(f"/banks/{bank.id}", query_string=args).get_data(as_text=True))

    assert ids(pillar="economic") == [economic.id]
    assert ids(difficulty="easy") == [history.id]
    assert ids(status="draft") == [history.id]
    assert ids(tag="hien-chuong") == [history.id]
    assert ids(tag="Hiến chương") == [history.id]
    assert sorted(ids(language="en")) == sorted([economic.id, history.id])
    assert ids(pillar="economic", status="draft") == []
    assert sorted(ids(pillar="nonsense")) == sorted([economic.id, history.id])  # unknown values are ignored


def test_only_english_questions_are_left_out_of_a_vietnamese_filter(db_session, bank, make_question):
    import question_bank as qb
    from quiz.banks.questions import add_question

    both = make_question(bank)
    english = add_question(db_session, bank, qb.Question(
        type=qb.QuestionType.SINGLE, stem={"en": "Which city hosts the ASEAN Secretariat?"},
        options=[qb.Option({"en": "Jakarta"}, True), qb.Option({"en": "Bangkok"})]), None)
    db_session.flush()
    vi = list_questions(db_session, QuestionFilters(bank_ids=[bank.id], language="vi"))
    en = list_questions(db_session, QuestionFilters(bank_ids=[bank.id], language="en"))
    assert [q.id for q in vi.rows] == [both.id]
    assert {q.id for q in en.rows} == {both.id, english.id}


def test_keyset_paging_walks_every_question_once_forwards_and_backwards(db_session, bank, make_question, clock):
    made = []
    for _ in range(23):
        made.append(make_question(bank).id)
        if len(made) % 5:
            clock.advance(seconds=1)  # some questions share a timestamp: the id breaks ties
    db_session.flush()
    filters = QuestionFilters(bank_ids=[bank.id])
    seen, pages, cursor = [], [], None
    while True:
        page = list_questions(db_session, filters, after=cursor, per_page=10)
        assert page.total == 23
        pages.append(page)
        seen += [q.id for q in page.rows]
        cursor = page.next_cursor
        if cursor is None:
            break
    assert len(pages) == 3 and sorted(seen) == sorted(made) and len(set(seen)) == 23
    assert seen == sorted(made, reverse=True)  # newest change first
    back = list_questions(db_session, filters, before=pages[2].prev_cursor, per_page=10)
    assert [q.id for q in back.rows] == [q.id for q in pages[1].rows]
    first = list_questions(db_session, filters, before=pages[1].prev_cursor, per_page=10)
    assert [q.id for q in first.rows] == [q.id for q in pages[0].rows] and first.prev_cursor is None


def test_the_list_page_links_to_the_next_page_and_keeps_the_filters(client, login_as, world, bank, make_question,
                                                                    db_session):
    for _ in range(55):
        make_question(bank, pillar="economic")
    db_session.commit()
    login_as(world.admin)
    html = client.get(f"/banks/{bank.id}?pillar=economic").get_data(as_text=True)
    assert len(_ids(html)) == 50 and "55" in html
    link = re.search(r'href="([^"]*after=[^"]*)" *>|rel="next" href="([^"]+)"', html)
    next_url = (link.group(1) or link.group(2)).replace("&amp;", "&")
    assert "pillar=economic" in next_url
    second = client.get(next_url).get_data(as_text=True)
    assert len(_ids(second)) == 5 and not set(_ids(second)) & set(_ids(html))


def test_a_bad_cursor_shows_the_first_page(db_session, bank, make_question):
    make_question(bank)
    db_session.flush()
    page = list_questions(db_session, QuestionFilters(bank_ids=[bank.id]), after="nonsense")
    assert len(page.rows) == 1


def test_the_page_query_uses_the_bank_paging_index(db_session, bank):
    from sqlalchemy import text

    from quiz.banks.listing import filtered_query
    if db_session.bind.dialect.name != "sqlite":
        pytest.skip("the plan is checked on SQLite; bench/banks_app.py prints it for PostgreSQL")
    stmt = (filtered_query(QuestionFilters(bank_ids=[bank.id])).order_by(Question.updated_at.desc(), Question.id.desc())
            .limit(51))
    sql = str(stmt.compile(db_session.bind, compile_kwargs={"literal_binds": True}))
    plan = " ".join(str(row[-1]) for row in db_session.execute(text("EXPLAIN QUERY PLAN " + sql)))
    assert "ix_questions_bank_updated" in plan and "TEMP B-TREE" not in plan


def test_bank_pages_keep_the_language_switcher(client, login_as, world, bank, make_question, db_session):
    question = make_question(bank)
    db_session.commit()
    login_as(world.admin)
    for url in (f"/banks/{bank.id}", f"/banks/{bank.id}/questions/{question.id}",
                f"/banks/{bank.id}/questions/{question.id}/edit", "/banks/"):
        html = client.get(url).get_data(as_text=True)
        assert 'name="lang" value="en"' in html and 'name="lang" value="vi"' in html, url
