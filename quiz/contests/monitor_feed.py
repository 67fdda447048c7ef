"""The live monitor as the page's script receives it (JSON), and the ETag that lets it skip unchanged data."""
from __future__ import annotations

import hashlib
import json
from datetime import datetime
from decimal import Decimal
from typing import Any, Callable

from quiz.contests.labels import MONITOR_STATE
from quiz.contests.monitor import Monitor, StudentRow


def _score(value: Decimal | None) -> str:
    if value is None:
        return ""
    return f"{value.normalize():f}" if value == value.to_integral() else f"{value:.2f}".rstrip("0")


def row_payload(row: StudentRow, fmt: Callable[[datetime | None], str]) -> dict[str, Any]:
    a = row.attempt
    klass = row.user.unit
    return {
        "student_id": row.user.id,
        "name": row.user.full_name,
        "username": row.user.username,
        "class": klass.name,
        "school": klass.parent.name if klass.parent else "",
        "state": row.state,
        "state_label": str(MONITOR_STATE[row.state]),
        "attempt": a.number if a else None,
        "started": fmt(a.started_at) if a else "",
        "deadline": fmt(a.deadline) if a else "",
        "extension_minutes": (a.extension_seconds or 0) // 60 if a else 0,
        "score": f"{_score(a.score)} / {_score(a.max_score)}" if a and a.submitted_at else "",
        "flags": list(row.flags),
    }


def monitor_payload(mon: Monitor, fmt: Callable[[datetime | None], str]) -> dict[str, Any]:
    """Everything the table shows; the same data gives the same ETag, so polling costs little."""
    total = sum(mon.counts.values())
    return {
        "round_id": mon.rnd.id,
        "counts": dict(mon.counts, total=total, flagged=sum(1 for r in mon.rows if r.flags)),
        "closes_at": fmt(mon.rnd.closes_at),
        "rows": [row_payload(r, fmt) for r in mon.rows],
    }


def etag_of(payload: dict[str, Any]) -> str:
    body = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(body.encode()).hexdigest()[:32]
