"""The board a viewer asked for: access, filters, page and "me" together (used by the pages, JSON and exports)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from quiz.bounded_numbers import MAX_ID, whole_number
from quiz.errors import ValidationFailed
from quiz.leaderboards import board as board_reader
from quiz.leaderboards.board import BoardPage
from quiz.leaderboards.payload import board_payload
from quiz.leaderboards.visibility import Filters, View, contest_view, resolve_filters, round_view

MAX_LIMIT = 200


@dataclass
class Query:
    limit: int = 50
    offset: int = 0
    area: int | None = None
    school: int | None = None
    klass: int | None = None


def _int(args: Any, name: str, default: int | None, low: int, high: int) -> int | None:
    raw = args.get(name)
    if raw in (None, ""):
        return default
    try:
        value = whole_number(raw, -2**62, 2**62)
    except (TypeError, ValueError):
        raise ValidationFailed(str(_l("“%(name)s” must be a whole number.", name=name))) from None
    if not low <= value <= high:
        raise ValidationFailed(str(_l("“%(name)s” is out of range.", name=name)))
    return value


def parse_query(args: Any) -> Query:
    big = MAX_ID
    return Query(limit=_int(args, "limit", 50, 1, MAX_LIMIT), offset=_int(args, "offset", 0, 0, big),
                 area=_int(args, "area", None, 1, big), school=_int(args, "school", None, 1, big),
                 klass=_int(args, "class", None, 1, big))


@dataclass
class Result:
    view: View
    filters: Filters
    page: BoardPage
    payload: dict[str, Any]


def _read(session: Session, view: View, query: Query) -> Result:
    filters = resolve_filters(session, view, query.area, query.school, query.klass)
    unit_id = filters.unit.id if filters.unit is not None else None
    page = board_reader.read(session, view.board, unit_id=unit_id, offset=query.offset, limit=query.limit,
                             me_id=view.me_id, empty=filters.empty)
    return Result(view, filters, page, board_payload(session, view, page))


def round_leaderboard(session: Session, viewer: Any, round_id: int, query: Query, now: datetime) -> Result:
    return _read(session, round_view(session, viewer, round_id, now), query)


def contest_leaderboard(session: Session, viewer: Any, contest_id: int, query: Query, now: datetime) -> Result:
    return _read(session, contest_view(session, viewer, contest_id, now), query)
