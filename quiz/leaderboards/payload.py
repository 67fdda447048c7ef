"""The JSON of a board page, names shown per viewer (initials on public views), and its ETag."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from quiz.leaderboards.board import BoardPage
from quiz.leaderboards.boards import Row
from quiz.leaderboards.ranking import NO_PREDICTION
from quiz.leaderboards.visibility import View
from quiz.models import Unit, User


@dataclass(frozen=True)
class Person:
    name: str
    school: str
    klass: str
    path: str


def initials(full_name: str) -> str:
    """"Nguyễn Văn An" → "N. V. An": every word but the last shortened to its first letter."""
    words = full_name.split()
    if len(words) <= 1:
        return full_name
    return " ".join([w[0].upper() + "." for w in words[:-1]] + [words[-1]])


def people(session: Session, user_ids: list[int]) -> dict[int, Person]:
    if not user_ids:
        return {}
    school = aliased(Unit)
    stmt = (select(User.id, User.full_name, Unit.name, Unit.path, school.name)
            .join(Unit, User.unit_id == Unit.id).outerjoin(school, Unit.parent_id == school.id)
            .where(User.id.in_(user_ids)))
    return {uid: Person(name, school_name or "", class_name, path)
            for uid, name, class_name, path, school_name in session.execute(stmt)}


def number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def shown_distance(row: Row, view: Any) -> int | None:
    """The prediction's distance from the true value as the viewer may see it: None when the board has no
    prediction, before the viewer may know the true answer, or for a student who gave no prediction."""
    if not view.shows_distance or row.distance >= NO_PREDICTION:
        return None
    return row.distance


def entry(row: Row, person: Person | None, view: Any) -> dict[str, Any]:
    """One line of the JSON (``view``: a ``View`` or the poll's ``Seen``)."""
    person = person or Person("?", "", "", "/")
    name = person.name if view.shows_full_name(row.user_id, person.path) else initials(person.name)
    return {"rank": row.rank, "name": name, "school": person.school, "class": person.klass,
            "score": number(row.score), "duration_ms": row.duration_ms, "distance": shown_distance(row, view)}


def board_payload(session: Session, view: View, page: BoardPage) -> dict[str, Any]:
    ids = [r.user_id for r in page.rows] + ([page.me.user_id] if page.me else [])
    found = people(session, ids)
    return {
        "entries": [entry(r, found.get(r.user_id), view) for r in page.rows],
        "me": entry(page.me, found.get(page.me.user_id), view) if page.me else None,
        "total": page.total,
        "frozen": view.frozen_at is not None,
        "shows_distance": view.shows_distance,
    }


def etag_of(payload: dict[str, Any]) -> str:
    body = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(body.encode()).hexdigest()[:32]
