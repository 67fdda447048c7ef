"""The built-in ASEAN bank: the Department's approved questions shipped in ``question_bank/data/asean``."""
from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from question_bank.formats import read
from quiz.banks.inserting import insert_questions
from quiz.banks.service import BankInput, create_bank
from quiz.models import Bank, QuestionStatus

DATA = Path(__file__).resolve().parent.parent.parent / "question_bank" / "data" / "asean"
BANK_NAME = "Ngân hàng ASEAN của Sở"
BANK_DESCRIPTION = ("Câu hỏi đã duyệt về lịch sử ASEAN, Hiến chương, các nước thành viên, Việt Nam trong ASEAN "
                    "và ba trụ cột Cộng đồng ASEAN (Chính trị - An ninh, Kinh tế, Văn hóa - Xã hội).")


def builtin_questions():
    """Every question of the built-in bank, validated; a problem in the shipped files is a bug."""
    questions = []
    for path in sorted(DATA.glob("*.json")):
        result = read(path.read_bytes(), path.name)
        if not result.ok:
            raise ValueError(f"{path.name}: " + "; ".join(p.describe() for p in result.problems[:5]))
        questions += result.question_list
    return questions


def seed_builtin_bank(session: Session) -> Bank:
    """Create the Department's approved ASEAN bank once (it needs the Department unit)."""
    bank = session.scalar(select(Bank).where(Bank.name == BANK_NAME))
    if bank is not None:
        return bank
    bank = create_bank(session, None, BankInput(name=BANK_NAME, description=BANK_DESCRIPTION))
    insert_questions(session, bank, builtin_questions(), None, QuestionStatus.APPROVED)
    return bank
