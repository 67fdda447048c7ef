"""The import page (upload → preview → confirm, all or nothing), the templates and the export page."""
from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from conftest import PNG, sample_file, sample_questions
from sqlalchemy import func, select

import question_bank as qb
from question_bank import formats
from quiz.models import BankImage, Question, QuestionStatus


@pytest.fixture
def bank(db_session, world, make_bank):
    bank = make_bank("Ngân hàng của Sở")
    db_session.commit()
    return bank


def _upload(client, bank, data: bytes, name: str, **extra):
    return client.post(f"/banks/{bank.id}/import", data={"file": (io.BytesIO(data), name), "language": "vi", **extra},
                       content_type="multipart/form-data")


def _confirm_url(page: str) -> str:
    match = re.search(r'action="(/banks/\d+/import/[A-Za-z0-9_-]+)"', page)
    assert match, "no confirm form"
    return match.group(1)


def _count(db_session) -> int:
    return db_session.scalar(select(func.count()).select_from(Question))


@pytest.mark.parametrize("fmt", ["xlsx", "moodle-xml", "csv", "gift", "json"])
def test_preview_lists_the_questions_then_confirm_imports_them_as_drafts(fmt, client, login_as, world, bank,
                                                                        db_session):
    login_as(world.admin)
    data, name = sample_file(fmt)
    preview = _upload(client, bank, data, name)
    page = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert "Hiến chương ASEAN" in page and "3 câu hợp lệ" in page
    assert _count(db_session) == 0  # nothing written before the confirmation
    done = client.post(_confirm_url(page), data={})
    assert done.status_code == 302
    statuses = db_session.scalars(select(Question.status).where(Question.bank_id == bank.id)).all()
    assert len(statuses) == 3 and set(statuses) == {QuestionStatus.DRAFT}


def test_ticking_approve_imports_approved_questions(client, login_as, world, bank, db_session):
    login_as(world.admin)
    page = _upload(client, bank, *sample_file("xlsx")).get_data(as_text=True)
    client.post(_confirm_url(page), data={"approve": "y"})
    assert set(db_session.scalars(select(Question.status))) == {QuestionStatus.APPROVED}


def test_a_token_cannot_be_confirmed_twice_or_by_another_user(client, login_as, world, bank, make_user, db_session):
    from quiz.models import Role

    other_admin = make_user(Role.ADMIN, unit=world.department, username="admin2")
    db_session.commit()
    login_as(world.admin)
    url = _confirm_url(_upload(client, bank, *sample_file("json")).get_data(as_text=True))
    login_as(other_admin)
    assert client.post(url, data={}).status_code == 404
    assert _count(db_session) == 0
    login_as(world.admin)
    assert client.post(url, data={}).status_code == 302
    assert client.post(url, data={}).status_code == 404
    assert _count(db_session) == 3


def test_a_broken_xlsx_imports_nothing_and_shows_every_problem_located_in_vietnamese(client, login_as, world, bank,
                                                                                     db_session):
    questions = sample_questions()
    questions[0].options = [qb.Option(o.text) for o in questions[0].options]  # no correct answer
    questions[2].stem = {"vi": "Việt Nam <b>gia nhập ASEAN năm 1995.", "en": "Viet Nam joined in 1995."}
    questions[1].options = questions[1].options[:1]  # one option
    login_as(world.admin)
    response = _upload(client, bank, formats.write(questions, "xlsx"), "hong.xlsx")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Không nhập câu nào" in page
    assert re.search(r"hong\.xlsx, dòng 2, câu «Hiến chương ASEAN», trường «Đáp án đúng»", page)
    assert "dòng 3" in page and "Thành viên sáng lập" in page
    assert "dòng 4" in page and "&lt;b&gt;" in page  # the broken tag is named
    assert "/import/" not in page.split("Kiểm tra việc nhập")[1]  # no confirm form
    assert _count(db_session) == 0


def test_a_file_in_a_wrong_encoding_is_refused_with_its_line(client, login_as, world, bank, db_session):
    data, _ = sample_file("csv")
    text = data.decode("utf-8-sig")
    login_as(world.admin)
    response = _upload(client, bank, text.encode("cp1258", errors="replace"), "cp1258.csv")
    assert response.status_code == 400
    assert "UTF-8" in response.get_data(as_text=True)
    assert _count(db_session) == 0


def test_a_near_duplicate_of_a_bank_question_is_a_warning_in_the_preview(client, login_as, world, bank,
                                                                         make_question, db_session):
    existing = make_question(bank, stem="Hiến chương ASEAN được ký vào năm nào?")
    db_session.commit()
    login_as(world.admin)
    page = _upload(client, bank, *sample_file("json")).get_data(as_text=True)
    assert f"#{existing.id}" in page and "Cảnh báo" in page
    assert _confirm_url(page)  # still allowed


def test_moodle_xml_with_an_embedded_image_stores_the_picture_in_the_bank(client, login_as, world, bank, db_session):
    question = sample_questions()[0]
    question.stem = {"vi": 'Lá cờ nào là cờ ASEAN? <img src="co.png" alt="cờ">'}
    question.options = [qb.Option({"vi": o.text["vi"]}, o.correct) for o in question.options]
    question.explanation = {"vi": question.explanation["vi"]}
    question.images = {"co.png": PNG}
    login_as(world.admin)
    page = _upload(client, bank, formats.write([question], "moodle-xml"), "co.xml").get_data(as_text=True)
    client.post(_confirm_url(page), data={})
    image = db_session.scalar(select(BankImage).where(BankImage.bank_id == bank.id))
    assert image is not None and image.filename == "co.png" and bytes(image.data) == PNG
    q = db_session.scalar(select(Question).where(Question.bank_id == bank.id))
    shown = client.get(f"/banks/{bank.id}/questions/{q.id}").get_data(as_text=True)
    assert f'src="/banks/{bank.id}/images/co.png"' in shown


def test_the_import_templates_download_with_vietnamese_headers(client, login_as, world, bank):
    login_as(world.teacher1)
    xlsx = client.get("/banks/import-template.xlsx")
    assert xlsx.status_code == 200 and xlsx.data[:2] == b"PK"
    csv = client.get("/banks/import-template.csv")
    assert "Câu hỏi (VI)" in csv.data.decode("utf-8-sig")
    assert formats.read(xlsx.data, "mau.xlsx").problems  # an empty template holds no question


@pytest.mark.parametrize("fmt", ["xlsx", "csv", "moodle-xml", "gift", "aiken", "json"])
def test_the_export_page_downloads_every_format(fmt, client, login_as, world, bank, db_session):
    from quiz.banks.inserting import insert_questions

    insert_questions(db_session, bank, [q for q in sample_questions() if q.type is not qb.QuestionType.MULTIPLE], None)
    db_session.commit()
    login_as(world.teacher2)  # any staff member can read and export a Department bank
    response = client.get(f"/banks/{bank.id}/export?format={fmt}&language=vi")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    back = formats.read(response.data, "x" + Path(response.headers["Content-Disposition"].split("=")[1]).suffix)
    assert back.ok and len(back.questions) == 2


def test_export_to_aiken_names_the_questions_it_cannot_hold(client, login_as, world, bank, db_session):
    from quiz.banks.inserting import insert_questions

    insert_questions(db_session, bank, sample_questions(), None)
    db_session.commit()
    login_as(world.admin)
    response = client.get(f"/banks/{bank.id}/export?format=aiken")
    assert response.status_code == 400 and "Thành viên sáng lập" in response.get_data(as_text=True)


MOODLE_WITH_ESSAY = """<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="multichoice">
    <name><text>Thủ đô Lào</text></name>
    <questiontext format="html"><text>Thủ đô của Lào là?</text></questiontext>
    <single>true</single>
    <answer fraction="100"><text>Viêng Chăn</text></answer>
    <answer fraction="0"><text>Phnôm Pênh</text></answer>
  </question>
  <question type="essay">
    <name><text>Bài luận ASEAN</text></name>
    <questiontext format="html"><text>Viết về ASEAN.</text></questiontext>
  </question>
</quiz>
"""


def test_moodle_xml_with_an_unsupported_type_is_refused_unless_skipped(client, login_as, world, bank, db_session):
    login_as(world.admin)
    refused = _upload(client, bank, MOODLE_WITH_ESSAY.encode(), "de.xml")
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400 and "Bài luận ASEAN" in page and "dòng 10" in page
    assert "/import/" not in page.split("Kiểm tra việc nhập")[1]
    skipped = _upload(client, bank, MOODLE_WITH_ESSAY.encode(), "de.xml", skip_unsupported="y")
    page = skipped.get_data(as_text=True)
    assert skipped.status_code == 200 and "Bài luận ASEAN" in page
    client.post(_confirm_url(page), data={})
    assert _count(db_session) == 1


def test_a_malformed_moodle_xml_imports_nothing_and_names_the_line(client, login_as, world, bank, db_session):
    broken = MOODLE_WITH_ESSAY.replace("</name>\n    <questiontext format=\"html\"><text>Thủ đô", "\n    <questiontext format=\"html\"><text>Thủ đô", 1)
    login_as(world.admin)
    response = _upload(client, bank, broken.encode(), "hong.xml")
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "hong.xml, dòng" in page and "XML" in page
    assert _count(db_session) == 0


def test_a_nul_inside_an_imported_text_is_a_located_problem_and_imports_nothing(client, login_as, world, bank,
                                                                                 db_session):
    login_as(world.admin)
    questions = sample_questions()
    questions[0].stem["vi"] = questions[0].stem["vi"] + "\x00"
    questions[1].source = "asean.org\x00"
    data = formats.write(questions, "csv")
    preview = _upload(client, bank, data if isinstance(data, bytes) else data.encode(), "cau-hoi.csv")
    page = preview.get_data(as_text=True)
    assert preview.status_code in (200, 400)
    assert page.count("ký tự điều khiển") >= 2 and "cau-hoi.csv, dòng 2" in page
    assert "1 câu hợp lệ" in page
    assert _count(db_session) == 0
