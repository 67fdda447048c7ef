"""Password hashing (scrypt through Werkzeug by default) and one-time passwords."""
from __future__ import annotations

import secrets

from werkzeug.security import check_password_hash, generate_password_hash

_method = "scrypt:16384:8:1"

# No look-alike characters (0/O, 1/l/I) on printed credential slips.
_OTP_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
MIN_LENGTH = 8


def configure(method: str) -> None:
    global _method
    _method = method


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=_method)


def verify_password(password_hash: str, password: str) -> bool:
    return check_password_hash(password_hash, password)


def one_time_password(length: int = 8) -> str:
    return "".join(secrets.choice(_OTP_ALPHABET) for _ in range(length))
