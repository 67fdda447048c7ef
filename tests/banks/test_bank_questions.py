"""Questions in the application: editing, revisions, workflow, preview, duplicates, bulk actions."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

import question_bank as qb
from quiz.banks.convert import question_to_domain, revision_to_domain
from quiz.models import AttemptQuestion, AuditEntry, Question, QuestionRevision, QuestionStatus


def form(stem_vi="Thủ đô của Lào là thành phố nào?", stem_en="What is the capital of Laos?", **extra):
    data = {"type": "single", "pillar": "socio_cultural", "difficulty": "easy", "stem_vi": stem_vi, "stem_en": stem_en,
            "option_0_vi": "Viêng Chăn", "option_0_en": "Vientiane", "correct_0": "on",
            "option_1_vi": "Luông Pha Băng", "option_1_en": "Luang Prabang",
            "option_2_vi": "Phnôm Pênh", "option_2_en": "Phnom Penh",
            "explanation_vi": "Viêng Chăn là thủ đô của Lào.", "explanation_en": "Vientiane is the capital.",
            "tags": "Thủ đô, Lào", "source": "asean.org", "name": "", "key": ""}
    data.update(extra)
    return data


@pytest.fixture
def dept_bank(db_session, world, make_bank):
    bank = make_bank("Ngân hàng của Sở")
    db_session.commit()
    return bank


def _only_question(db_session, bank) -> Question:
    return db_session.scalar(select(Question).where(Question.bank_id == bank.id))


def test_creating_a_question_saves_a_draft_with_both_languages_and_slug_tags(client, login_as, world, dept_bank,
                                                                           db_session):
    login_as(world.admin)
    response = client.post(f"/banks/{dept_bank.id}/questions/new", data=form())
    assert response.status_code == 302
    question = _only_question(db_session, dept_bank)
    assert question.status is QuestionStatus.DRAFT and question.languages == "vi,en"
    domain = question_to_domain(question)
    assert domain.stem == {"vi": "Thủ đô của Lào là thành phố nào?", "en": "What is the capital of Laos?"}
    assert [o.correct for o in domain.options] == [True, False, False]
    assert domain.tags == ["lao", "thu-do"] and domain.pillar is qb.Pillar.SOCIO_CULTURAL


def test_an_invalid_question_is_refused_with_vietnamese_messages_by_field(client, login_as, world, dept_bank,
                                                                          db_session):
    login_as(world.admin)
    response = client.post(f"/banks/{dept_bank.id}/questions/new", data=form(correct_0=""))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Đáp án đúng" in page and "Viêng Chăn" in page  # the form keeps what was typed
    assert db_session.scalar(select(func.count()).select_from(Question)) == 0


def test_markup_outside_the_allowed_tags_is_stripped(client, login_as, world, dept_bank, db_session):
    login_as(world.admin)
    client.post(f"/banks/{dept_bank.id}/questions/new",
                data=form(stem_vi='<b>Thủ đô</b> của Lào?<script>alert(1)</script><a href="x">link</a>'))
    stem = _only_question(db_session, dept_bank).current_revision.stem["vi"]
    assert stem == "<b>Thủ đô</b> của Lào?link"


def test_preview_returns_the_sanitised_question_as_a_student_sees_it(client, login_as, world, dept_bank):
    login_as(world.admin)
    response = client.post(f"/banks/{dept_bank.id}/questions/preview",
                           data=form(stem_vi="<i>Thủ đô</i><img src=x onerror=alert(1)> của Lào?"))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<legend class="q-stem"><i>Thủ đô</i>' in html and "onerror" not in html
    assert 'class="q-option' in html and "Vientiane" in html and 'type="radio"' in html


def test_preview_lists_problems_and_a_near_duplicate(client, login_as, world, dept_bank, make_question, db_session):
    existing = make_question(dept_bank, stem="Thủ đô của Lào là thành phố nào?")
    db_session.commit()
    login_as(world.admin)
    html = client.post(f"/banks/{dept_bank.id}/questions/preview",
                       data=form(stem_vi="Thủ đô của Lào là thành phố nào ?", correct_0="")).get_data(as_text=True)
    assert "Đáp án đúng" in html
    assert f"#{existing.id}" in html and "100%" in html


def test_saving_a_near_duplicate_warns_but_saves(client, login_as, world, dept_bank, make_question, db_session):
    existing = make_question(dept_bank, stem="Thủ đô của Lào là thành phố nào?")
    db_session.commit()
    login_as(world.admin)
    response = client.post(f"/banks/{dept_bank.id}/questions/new", data=form(stem_vi="Thủ đô của nước Lào là thành phố nào?"),
                           follow_redirects=True)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and f"#{existing.id}" in page
    assert db_session.scalar(select(func.count()).select_from(Question)) == 2


def test_editing_a_draft_changes_its_revision_in_place(client, login_as, world, dept_bank, make_question, db_session):
    question = make_question(dept_bank, status=QuestionStatus.DRAFT)
    db_session.commit()
    login_as(world.admin)
    client.post(f"/banks/{dept_bank.id}/questions/{question.id}/edit", data=form())
    db_session.expire_all()
    assert db_session.scalar(select(func.count()).select_from(QuestionRevision)) == 1
    assert question.current_revision.stem["vi"] == "Thủ đô của Lào là thành phố nào?"


def test_editing_an_approved_question_creates_a_new_revision_and_attempts_keep_the_old_one(
        client, login_as, world, make_round, clock, db_session):
    from quiz.attempts import service as attempts

    rnd = make_round()
    question = db_session.get(Question, rnd.fixed_questions[0].question_id)
    old_rev = question.current_revision
    db_session.commit()
    old_id, old_stem = old_rev.id, dict(old_rev.stem)
    # A student's frozen paper uses the current revision.
    attempt = attempts.start_or_resume(db_session, world.student1, rnd.id, clock.now)
    db_session.commit()
    used = db_session.scalar(select(AttemptQuestion).where(AttemptQuestion.attempt_id == attempt.id,
                                                           AttemptQuestion.question_id == question.id))
    assert used.revision_id == old_id
    login_as(world.admin)
    response = client.post(f"/banks/{question.bank_id}/questions/{question.id}/edit", data=form())
    assert response.status_code == 302
    db_session.expire_all()
    assert question.current_revision.number == 2 and question.current_revision_id != old_id
    assert question.status is QuestionStatus.APPROVED
    assert db_session.get(QuestionRevision, old_id).stem == old_stem
    kept = db_session.scalar(select(AttemptQuestion.revision_id).where(AttemptQuestion.attempt_id == attempt.id,
                                                                       AttemptQuestion.question_id == question.id))
    assert kept == old_id
    history = client.get(f"/banks/{question.bank_id}/questions/{question.id}").get_data(as_text=True)
    assert "Phiên bản 2" in history and "Phiên bản 1" in history


def test_the_workflow_moves_draft_to_review_to_approved_to_retired(client, login_as, world, dept_bank, make_question,
                                                                   db_session):
    question = make_question(dept_bank, status=QuestionStatus.DRAFT)
    db_session.commit()
    login_as(world.admin)
    url = f"/banks/{dept_bank.id}/questions/{question.id}/status"
    for status in ("review", "approved", "retired"):
        assert client.post(url, data={"status": status}).status_code == 302
        db_session.expire_all()
        assert question.status.value == status
    assert db_session.scalar(select(func.count()).select_from(AuditEntry)
                             .where(AuditEntry.action == "question.status")) == 3


def test_a_forbidden_move_is_refused(client, login_as, world, dept_bank, make_question, db_session):
    question = make_question(dept_bank, status=QuestionStatus.APPROVED)
    db_session.commit()
    login_as(world.admin)
    client.post(f"/banks/{dept_bank.id}/questions/{question.id}/status", data={"status": "draft"})
    db_session.expire_all()
    assert question.status is QuestionStatus.APPROVED


def test_only_the_banks_editors_may_approve(client, login_as, world, dept_bank, make_question, db_session):
    question = make_question(dept_bank, status=QuestionStatus.REVIEW)
    db_session.commit()
    login_as(world.teacher1)
    assert client.get(f"/banks/{dept_bank.id}/questions/{question.id}").status_code == 200
    response = client.post(f"/banks/{dept_bank.id}/questions/{question.id}/status", data={"status": "approved"})
    assert response.status_code == 403
    db_session.expire_all()
    assert question.status is QuestionStatus.REVIEW


def test_bulk_approve_retire_and_tag(client, login_as, world, dept_bank, make_question, db_session):
    drafts = [make_question(dept_bank, status=QuestionStatus.DRAFT) for _ in range(3)]
    retired = make_question(dept_bank, status=QuestionStatus.RETIRED)
    db_session.commit()
    login_as(world.admin)
    url = f"/banks/{dept_bank.id}/bulk"
    ids = [str(q.id) for q in drafts[:2]]
    response = client.post(url, data={"action": "approve", "ids": ids}, follow_redirects=True)
    assert "2 câu" in response.get_data(as_text=True)
    db_session.expire_all()
    assert [q.status for q in drafts] == [QuestionStatus.APPROVED, QuestionStatus.APPROVED, QuestionStatus.DRAFT]
    client.post(url, data={"action": "tag", "ids": [str(drafts[0].id), str(drafts[2].id)], "tag": "Ôn thi"})
    db_session.expire_all()
    assert "on-thi" in revision_to_domain(drafts[0].current_revision).tags
    assert drafts[0].current_revision.number == 2  # approved content changes in a new revision
    assert drafts[2].current_revision.number == 1 and "on-thi" in [t.tag for t in drafts[2].tags]
    client.post(url, data={"action": "retire", "ids": [str(q.id) for q in drafts] + [str(retired.id)]})
    db_session.expire_all()
    assert {q.status for q in drafts} == {QuestionStatus.RETIRED}


def test_bulk_actions_ignore_questions_of_other_banks(client, login_as, world, dept_bank, make_bank, make_question,
                                                      db_session):
    other = make_question(make_bank("Khác"), status=QuestionStatus.DRAFT)
    db_session.commit()
    login_as(world.admin)
    client.post(f"/banks/{dept_bank.id}/bulk", data={"action": "approve", "ids": [str(other.id)]})
    db_session.expire_all()
    assert other.status is QuestionStatus.DRAFT
