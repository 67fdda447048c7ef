"""Organisers type times in Asia/Ho_Chi_Minh local time; the database keeps UTC.

``parse_local("2026-11-20T09:00")`` (what an ``<input type="datetime-local">`` sends) and
``parse_local("20/11/2026 09:00")`` (what people type) both give 02:00 UTC; ``to_local_input``
turns a stored UTC time back into the value of that input.
"""
from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

DEFAULT_TZ = "Asia/Ho_Chi_Minh"
INPUT_FORMAT = "%Y-%m-%dT%H:%M"
_ACCEPTED = ("%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S",
             "%d/%m/%Y %Hh%M", "%d-%m-%Y %H:%M")


def parse_local(text: str | None, tz: str = DEFAULT_TZ) -> datetime | None:
    """The UTC instant of a local date and time; ``None`` for an empty value; ``ValueError`` if unreadable."""
    raw = " ".join((text or "").split())
    if not raw:
        return None
    for fmt in _ACCEPTED:
        try:
            naive = datetime.strptime(raw, fmt)
        except ValueError:
            continue
        return local_to_utc(naive, tz)
    raise ValueError(raw)


def local_to_utc(naive: datetime, tz: str = DEFAULT_TZ) -> datetime:
    if naive.tzinfo is not None:
        return naive.astimezone(timezone.utc)
    return naive.replace(tzinfo=ZoneInfo(tz)).astimezone(timezone.utc)


def to_local(value: datetime, tz: str = DEFAULT_TZ) -> datetime:
    if value.tzinfo is None:  # stored times are UTC
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(ZoneInfo(tz))


def to_local_input(value: datetime | None, tz: str = DEFAULT_TZ) -> str:
    """The value of a ``datetime-local`` input showing ``value`` in local time."""
    return to_local(value, tz).strftime(INPUT_FORMAT) if value else ""
