"""The few expressions SQLite and PostgreSQL spell differently (epoch seconds, floor), and per-query tuning."""
from __future__ import annotations

from sqlalchemy import Integer, case, cast, func, text
from sqlalchemy.sql.elements import ColumnElement


def epoch_seconds(column: ColumnElement, dialect: str) -> ColumnElement:
    """Seconds since 1970-01-01 UTC of a stored (UTC) time."""
    if dialect == "postgresql":
        return func.extract("epoch", column)
    return func.round((func.julianday(column) - 2440587.5) * 86400.0, 3)  # julianday is a float: ms precision


def floor_int(value: ColumnElement, dialect: str) -> ColumnElement:
    """⌊value⌋ as an integer (SQLite's CAST truncates towards zero, so it floors negative values by hand)."""
    if dialect == "postgresql":
        return cast(func.floor(value), Integer)
    truncated = cast(value, Integer)
    return case((value < truncated, truncated - 1), else_=truncated)


def tune(session) -> None:
    """PostgreSQL: give this transaction's report queries room to sort and hash in memory, and skip JIT
    compilation (it costs more than it saves on these one-off aggregations)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SET LOCAL work_mem = '64MB'"))
        session.execute(text("SET LOCAL jit = off"))
