"""The health check: is the database answering, and how is Redis."""
from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from quiz.cache import Cache


def health(session: Session, cache: Cache) -> tuple[dict[str, str], bool]:
    try:
        session.execute(text("SELECT 1"))
        database = "ok"
    except SQLAlchemyError:
        session.rollback()
        database = "down"
    report = {"status": "ok" if database == "ok" else "error", "database": database, "redis": cache.status()}
    return report, database == "ok"
