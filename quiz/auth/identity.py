"""Who the signed session cookie says is logged in, as plain values for services that check it
themselves (``quiz.auth.session.identity_required``)."""
from __future__ import annotations

from dataclasses import dataclass


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
