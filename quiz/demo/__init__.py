"""The demo data set: a growing, realistic province for trying every feature."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from quiz.demo.accounts import seed_accounts
from quiz.demo.banks import seed_builtin_bank
from quiz.demo.contests import seed_contests
from quiz.models import User

DEFAULT_PASSWORD = "asean2026"


def demo_exists(session: Session) -> bool:
    return session.scalar(select(User.id).where(User.username == "admin")) is not None


def seed_demo(session: Session, password: str = DEFAULT_PASSWORD) -> bool:
    """Create the whole demo data set once; returns False when it already exists."""
    if demo_exists(session):
        return False
    seed_accounts(session, password)
    bank = seed_builtin_bank(session)
    seed_contests(session, bank)
    from quiz.demo.certificates import seed_certificates; seed_certificates(session)  # noqa: E702
    return True


def login_lines(password: str | None) -> list[str]:
    pw = password if password else "(the password chosen when the demo was created)"
    return [
        f"  Department admin:  admin          password: {pw}",
        f"  School managers:   manager1, manager2, manager3",
        f"  Teachers:          teacher1, teacher2, teacher3",
        f"  Students:          s101 … s130, s201 … s230, s301 … s330",
        f"  (every demo account has the same password)",
    ]
