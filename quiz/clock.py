"""The server's clock: the only place that reads the current time.

Tests freeze or move it through the ``clock`` fixture instead of sleeping.
"""
from __future__ import annotations

from datetime import datetime, timezone

_frozen: datetime | None = None


def now() -> datetime:
    """Current time, timezone-aware UTC."""
    if _frozen is not None:
        return _frozen
    return datetime.now(timezone.utc)


def freeze(at: datetime | None) -> None:
    """Freeze the clock at ``at`` (aware datetime), or unfreeze with ``None``."""
    global _frozen
    if at is not None and at.tzinfo is None:
        raise ValueError("clock.freeze needs an aware datetime")
    _frozen = at.astimezone(timezone.utc) if at else None
