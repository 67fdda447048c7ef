"""Certificate serial numbers: ``ASEAN-2026-K7M3Q9XA`` — random, so they cannot be guessed from one another."""
from __future__ import annotations

import re
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from quiz.models import Certificate

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: easy to read out and type
LENGTH = 8
PATTERN = re.compile(r"ASEAN-\d{4}-[2-9A-HJ-NP-Z]{8}")


def _one(year: int) -> str:
    return f"ASEAN-{year}-" + "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def new_serials(session: Session, count: int, year: int) -> list[str]:
    """``count`` serials not used yet (checked against the database, in chunks)."""
    out: list[str] = []
    seen: set[str] = set()
    while len(out) < count:
        batch = {s for s in (_one(year) for _ in range(min(count - len(out), 1000))) if s not in seen}
        taken = set(session.scalars(select(Certificate.serial).where(Certificate.serial.in_(batch))))
        fresh = sorted(batch - taken)
        seen.update(fresh)
        out.extend(fresh)
    return out[:count]


def normalise(serial: str) -> str:
    """What a person typed (lower case, spaces) → the stored form."""
    return "".join(serial.split()).upper()
