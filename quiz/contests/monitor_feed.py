"""The live monitor as the page's script receives it (JSON), and the ETag that lets it skip unchanged data."""
from __future__ import annotations

import hashlib
import json
from datetime import datetime
from decimal import Decimal
from typing import Any, Callable

from quiz.contests.labels import MONITOR_STATE
from quiz.contests.monitor import Monitor


def _score(value: Decimal | None) -> str:
    if value is None:
        return ""
    return f"{value.normalize():f}" if value == value.to_integral() else f"{value:.2f}".rstrip("0")


def row_payload(row: dict[str, Any], fmt: Callable[[datetime | None], str]) -> dict[str, Any]:
    started = row["attempt_id"] is not None
    return {
        "student_id": row["student_id"],
        "name": row["name"],
        "username": row["username"],
        "class": row["class"],
        "school": row["school"] or "",
        "state": row["state"],
        "state_label": str(MONITOR_STATE[row["state"]]),
        "attempt": row["number"] if started else None,
        "started": fmt(row["started_at"]) if started else "",
        "deadline": fmt(row["deadline"]) if started else "",
        "extension_minutes": (row["extension_seconds"] or 0) // 60 if started else 0,
        "score": f"{_score(_dec(row['score']))} / {_score(_dec(row['max_score']))}"
        if started and row["submitted_at"] else "",
        "flags": list(row["flags"]),
    }


def _dec(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def monitor_payload(mon: Monitor, fmt: Callable[[datetime | None], str]) -> dict[str, Any]:
    """The counts, the counts per school or class, and the visible page only: the same data gives the same
    ETag, so polling an unchanged round costs one 304."""
    flt = mon.flt
    return {
        "round_id": mon.rnd.id,
        "counts": dict(mon.counts),
        "group_by": mon.group_by,
        "groups": [[g["id"], g["not_started"], g["in_progress"], g["submitted"], g["flagged"]] for g in mon.groups],
        "page": {"number": flt.page, "per_page": flt.per_page, "pages": mon.pages, "total": mon.total},
        "closes_at": fmt(mon.rnd.closes_at),
        "rows": [row_payload(r, fmt) for r in mon.rows],
    }


def etag_of(payload: dict[str, Any]) -> str:
    body = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(body.encode()).hexdigest()[:32]
