"""Who the signed session cookie says is logged in, as plain values for services that check it
themselves (``quiz.auth.session.identity_required``)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Identity:
    """A user id and the session token the cookie carries. Not proof of anything until a query has
    matched it against ``users`` (``session_token``, ``is_active``, ``must_change_password``)."""

    user_id: int
    token: str

    @classmethod
    def parse(cls, raw: object) -> Identity | None:
        """From Flask-Login's ``_user_id`` ("<id>:<token>", see ``User.get_id``)."""
        if not isinstance(raw, str):
            return None
        ident, _, token = raw.partition(":")
        if not ident.isdigit() or not token:
            return None
        return cls(int(ident), token)


@dataclass(frozen=True)
class Viewer:
    """A logged-in user as a polled read-only JSON needs it (id, role, unit), read with one narrow query instead
    of the ORM ``User`` (``quiz.auth.session.viewer_or_anonymous``). Code that needs more asks the session for
    the ``User`` by id."""

    id: int
    role: Any  # quiz.models.Role
    unit_id: int
    is_authenticated: bool = True
