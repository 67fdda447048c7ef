"""``flask --app wsgi bank list|import|export``."""
from __future__ import annotations

import pytest
from conftest import sample_file, sample_questions
from sqlalchemy import func, select

import question_bank as qb
from question_bank import formats
from quiz.banks.exporting import bank_domains
from quiz.models import Bank, BankVisibility, Question, QuestionStatus, Role

ONE_LANGUAGE = {"moodle-xml", "gift", "aiken"}


def _questions(db_session, bank) -> list[Question]:
    return list(db_session.scalars(select(Question).where(Question.bank_id == bank.id).order_by(Question.id)))


def test_list_prints_each_bank_with_its_owner_and_counts_by_status(cli, db_session, make_bank, make_question, world):
    bank = make_bank("Ngân hàng ASEAN của Sở")
    make_question(bank)
    make_question(bank)
    make_question(bank, status=QuestionStatus.DRAFT)
    mine = make_bank("Câu hỏi của cô Lan", owner_unit=world.school1, owner_user=world.teacher1,
                     visibility=BankVisibility.PRIVATE)
    db_session.commit()
    result = cli("bank", "list")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].split("\t") == ["ID", "Tên", "Đơn vị sở hữu", "nháp", "chờ duyệt", "đã duyệt", "ngừng dùng", "tổng"]
    assert f"{bank.id}\tNgân hàng ASEAN của Sở\t{world.department.name}\t1\t0\t2\t0\t3" in lines
    assert f"{mine.id}\tCâu hỏi của cô Lan\t{world.school1.name} (teacher1)\t0\t0\t0\t0\t0" in lines


def test_import_creates_a_department_bank_of_that_name_with_draft_questions(cli, db_session, world, tmp_path):
    data, name = sample_file("xlsx")
    path = tmp_path / name
    path.write_bytes(data)
    result = cli("bank", "import", str(path), "--bank", "Ngân hàng nhập thử")
    assert result.exit_code == 0, result.stderr
    bank = db_session.scalar(select(Bank).where(Bank.name == "Ngân hàng nhập thử"))
    assert bank.owner_unit_id == world.department.id and bank.visibility is BankVisibility.PROVINCE
    questions = _questions(db_session, bank)
    assert len(questions) == 3 and {q.status for q in questions} == {QuestionStatus.DRAFT}
    assert "3 câu mới" in result.stdout


def test_import_with_approve_approves_and_bank_accepts_an_id(cli, db_session, make_bank, tmp_path):
    bank = make_bank("Ngân hàng có sẵn")
    db_session.commit()
    data, name = sample_file("csv")
    (tmp_path / name).write_bytes(data)
    result = cli("bank", "import", str(tmp_path / name), "--bank", str(bank.id), "--approve")
    assert result.exit_code == 0, result.stderr
    assert {q.status for q in _questions(db_session, bank)} == {QuestionStatus.APPROVED}


def test_dry_run_checks_the_file_and_writes_nothing(cli, db_session, world, tmp_path):
    data, name = sample_file("json")
    (tmp_path / name).write_bytes(data)
    result = cli("bank", "import", str(tmp_path / name), "--bank", "Chưa có", "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert "3 câu hợp lệ" in result.stdout and "chưa ghi gì" in result.stdout
    assert db_session.scalar(select(func.count()).select_from(Bank)) == 0
    assert db_session.scalar(select(func.count()).select_from(Question)) == 0


def test_a_broken_file_imports_nothing_and_reports_located_problems_on_stderr(cli, db_session, world, tmp_path):
    good, bad = sample_questions()[:2]
    bad.options = [qb.Option({"vi": o.text["vi"], "en": o.text["en"]}) for o in bad.options]  # no correct answer
    path = tmp_path / "hong.json"
    path.write_bytes(formats.write([good, bad], "json"))
    result = cli("bank", "import", str(path), "--bank", "Ngân hàng hỏng")
    assert result.exit_code == 1
    assert "Không nhập câu nào" in result.stderr
    assert "hong.json" in result.stderr and "câu số 2" in result.stderr and "Thành viên sáng lập" in result.stderr
    assert "Đáp án đúng" in result.stderr
    assert db_session.scalar(select(func.count()).select_from(Question)) == 0
    assert db_session.scalar(select(func.count()).select_from(Bank)) == 0


GIFT_WITH_ESSAY = """// ASEAN
::q1:: Thủ đô của Lào là? {=Viêng Chăn ~Phnôm Pênh ~Hà Nội}

::q2:: Hãy viết về ASEAN. {}

::q3:: ASEAN thành lập năm 1967. {T}
"""


def test_unsupported_types_reject_the_file_unless_skipped(cli, db_session, world, tmp_path):
    path = tmp_path / "de.gift"
    path.write_text(GIFT_WITH_ESSAY, encoding="utf-8")
    refused = cli("bank", "import", str(path), "--bank", "GIFT")
    assert refused.exit_code == 1
    assert "dòng 4" in refused.stderr and "q2" in refused.stderr
    assert db_session.scalar(select(func.count()).select_from(Question)) == 0
    skipped = cli("bank", "import", str(path), "--bank", "GIFT", "--skip-unsupported")
    assert skipped.exit_code == 0, skipped.stderr
    assert "Bỏ qua" in skipped.stderr and "q2" in skipped.stderr
    assert db_session.scalar(select(func.count()).select_from(Question)) == 2


def test_export_of_an_unknown_bank_fails(cli, world, tmp_path):
    result = cli("bank", "export", "--bank", "Không tồn tại", "--format", "json", "-o", str(tmp_path / "x.json"))
    assert result.exit_code == 1 and "Không có ngân hàng" in result.stderr


def test_aiken_export_refuses_multiple_answer_questions_with_their_names(cli, db_session, make_bank, tmp_path):
    from quiz.banks.inserting import insert_questions

    bank = make_bank("Nhiều đáp án")
    insert_questions(db_session, bank, sample_questions(), None)
    db_session.commit()
    result = cli("bank", "export", "--bank", "Nhiều đáp án", "--format", "aiken", "-o", str(tmp_path / "a.txt"))
    assert result.exit_code == 1 and "Thành viên sáng lập" in result.stderr
    assert not (tmp_path / "a.txt").exists()


def _comparable(domain: qb.Question, fmt: str) -> dict:
    """The fields ``fmt`` carries (one-language formats: Vietnamese text only)."""
    data = domain.to_dict()
    data.pop("images", None)
    if fmt in ONE_LANGUAGE:
        data["stem"] = {"vi": data["stem"]["vi"]}
        data["options"] = [{k: v for k, v in o.items() if k != "en"} for o in data["options"]]
        if "explanation" in data:
            data["explanation"] = {"vi": data["explanation"]["vi"]}
    if fmt in ("moodle-xml", "gift"):
        data.pop("difficulty", None)
        data.pop("source", None)
    if fmt == "aiken":
        # Aiken has no true/false type: such a question comes back as a single choice with the same options.
        data = {"type": "single", "stem": data["stem"], "options": data["options"]}
    return data


@pytest.mark.parametrize("fmt", ["xlsx", "csv", "moodle-xml", "gift", "aiken", "json"])
def test_export_then_import_is_lossless_for_what_the_format_carries(fmt, cli, db_session, make_bank, tmp_path):
    from quiz.banks.inserting import insert_questions

    source = make_bank("Nguồn")
    originals = [q for q in sample_questions() if fmt != "aiken" or q.type is not qb.QuestionType.MULTIPLE]
    insert_questions(db_session, source, originals, None, QuestionStatus.APPROVED)
    db_session.commit()
    out = tmp_path / ("bank" + formats.EXTENSIONS[fmt])
    exported = cli("bank", "export", "--bank", "Nguồn", "--format", fmt, "-o", str(out))
    assert exported.exit_code == 0, exported.stderr
    imported = cli("bank", "import", str(out), "--bank", "Đích")
    assert imported.exit_code == 0, imported.stderr
    target = db_session.scalar(select(Bank).where(Bank.name == "Đích"))
    before = [_comparable(d, fmt) for d in bank_domains(db_session, source)]
    after = [_comparable(d, fmt) for d in bank_domains(db_session, target)]
    assert after == before


def test_reimporting_an_export_into_the_same_bank_changes_nothing(cli, db_session, make_bank, tmp_path):
    from quiz.banks.inserting import insert_questions

    bank = make_bank("Một")
    insert_questions(db_session, bank, sample_questions(), None, QuestionStatus.APPROVED)
    db_session.commit()
    out = tmp_path / "b.xlsx"
    assert cli("bank", "export", "--bank", "Một", "--format", "xlsx", "-o", str(out)).exit_code == 0
    result = cli("bank", "import", str(out), "--bank", "Một")
    assert result.exit_code == 0, result.stderr
    assert "0 câu mới" in result.stdout and "3 câu không đổi" in result.stdout
    assert len(_questions(db_session, bank)) == 3
