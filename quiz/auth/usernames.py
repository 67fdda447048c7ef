"""Usernames: one normal form, so look-alikes and stray spaces cannot make a second account."""
from __future__ import annotations

import re
import unicodedata

from sqlalchemy import select
from sqlalchemy.orm import Session

from quiz.models import User

USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{1,39}$")


def normalise_username(raw: str) -> str:
    """Trimmed, Unicode NFC, case-folded."""
    return unicodedata.normalize("NFC", raw.strip()).casefold()


def is_valid_username(username: str) -> bool:
    """Only ASCII letters, digits, dot, dash, underscore: no homoglyphs from other scripts."""
    return bool(USERNAME_RE.match(username))


def ascii_fold(text: str) -> str:
    """Vietnamese text without diacritics ("Nguyễn Đức" -> "Nguyen Duc")."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def username_stem(full_name: str) -> str:
    """Given name followed by the initials of the family and middle names: "Nguyễn Văn An" -> "annv"."""
    words = [w for w in re.split(r"\s+", ascii_fold(full_name).lower()) if w]
    words = [re.sub(r"[^a-z0-9]", "", w) for w in words]
    words = [w for w in words if w]
    if not words:
        return "hs"
    stem = words[-1] + "".join(w[0] for w in words[:-1])
    return stem[:30]


class UsernameAllocator:
    """Hands out unique usernames from name stems, consulting the database once per stem."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._taken: dict[str, set[str]] = {}

    def _taken_for(self, stem: str) -> set[str]:
        if stem not in self._taken:
            rows = self.session.scalars(select(User.username).where(User.username.startswith(stem)))
            self._taken[stem] = set(rows)
        return self._taken[stem]

    def allocate(self, full_name: str, prefix: str = "") -> str:
        stem = prefix + username_stem(full_name)
        taken = self._taken_for(stem)
        n = 1
        while f"{stem}{n}" in taken:
            n += 1
        name = f"{stem}{n}"
        taken.add(name)
        return name
