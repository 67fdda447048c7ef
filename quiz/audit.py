"""Recording administrative changes in the audit log."""
from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from quiz import clock
from quiz.models import AuditEntry, User


def record(
    session: Session,
    actor: User | None,
    action: str,
    summary: str,
    *,
    target: Any = None,
    details: dict[str, Any] | None = None,
    ip: str | None = None,
) -> AuditEntry:
    """Add an audit entry (flushed with the change it describes, in the same transaction)."""
    entry = AuditEntry(
        at=clock.now(),
        actor_id=actor.id if actor else None,
        actor_name=actor.username if actor else "system",
        action=action,
        target_type=type(target).__name__.lower() if target is not None else None,
        target_id=getattr(target, "id", None),
        summary=summary[:500],
        details=details,
        ip=ip,
    )
    session.add(entry)
    return entry
