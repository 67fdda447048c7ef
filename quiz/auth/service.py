"""Authentication: login with throttling of failures, logout, password changes."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from quiz import clock
from quiz.auth import passwords
from quiz.auth.usernames import normalise_username
from quiz.cache import Cache
from quiz.errors import DomainError, ValidationFailed
from quiz.models import OneTimePassword, User, new_session_token

# A hash to compare against for unknown usernames, so timing does not tell which exist.
_DUMMY_HASH: str | None = None


class LoginFailed(DomainError):
    status = 401


class LoginThrottled(DomainError):
    status = 429


@dataclass(frozen=True)
class ThrottlePolicy:
    window_seconds: int = 900
    max_failures_per_account: int = 5
    max_failures_per_ip: int = 200


def _account_key(username: str) -> str:
    return f"login:fail:user:{username}"


def _ip_key(ip: str) -> str:
    return f"login:fail:ip:{ip}"


def authenticate(
    session: Session, cache: Cache, username: str, password: str, ip: str, policy: ThrottlePolicy
) -> User:
    """Return the user for these credentials or raise ``LoginFailed``/``LoginThrottled``.

    Only failures are counted: per account (stops guessing one student's password)
    and per IP (stops spraying from one address, with a limit high enough for a
    school of 500 pupils behind one NAT). A slot of both is taken atomically
    (``Cache.reserve``) before the password is checked, so simultaneous attempts
    cannot all pass the limit; a success gives the address's slot back and clears
    the account's count, so only failures stay counted.
    """
    global _DUMMY_HASH
    name = normalise_username(username)
    account, address = _account_key(name), _ip_key(ip)
    full = cache.reserve([(account, policy.max_failures_per_account), (address, policy.max_failures_per_ip)],
                         policy.window_seconds)
    if full == account:
        raise LoginThrottled(str(_l("Too many failed attempts for this account. Try again in %(minutes)d minutes.",
                                    minutes=policy.window_seconds // 60)))
    if full == address:
        raise LoginThrottled(str(_l("Too many failed logins from your network. Try again in %(minutes)d minutes.",
                                    minutes=policy.window_seconds // 60)))
    try:
        user = session.scalar(select(User).where(User.username == name)) if name else None
    except Exception:  # no answer about the password (the database failed): not a failure
        cache.give_back([account, address])
        raise
    if user is None:
        if _DUMMY_HASH is None:
            _DUMMY_HASH = passwords.hash_password("not-a-password")
        passwords.verify_password(_DUMMY_HASH, password)
        ok = False
    else:
        ok = user.is_active and passwords.verify_password(user.password_hash, password)
    if not ok:  # the slots taken above stay counted
        raise LoginFailed(str(_l("Wrong username or password.")))
    cache.delete(account)
    cache.give_back([address])
    user.last_login_at = clock.now()
    return user


def end_sessions(user: User) -> None:
    """Invalidate every session cookie issued to this user so far."""
    user.session_token = new_session_token()


def check_new_password(password: str, confirm: str, username: str) -> None:
    errors: dict[str, list[str]] = {}
    if len(password) < passwords.MIN_LENGTH:
        errors["new_password"] = [str(_l("The password must have at least %(n)d characters.", n=passwords.MIN_LENGTH))]
    elif password.casefold() == username.casefold():
        errors["new_password"] = [str(_l("The password must not be the same as the username."))]
    if password != confirm:
        errors["confirm"] = [str(_l("The two passwords do not match."))]
    if errors:
        raise ValidationFailed(str(_l("The new password was not accepted.")), errors)


def change_password(session: Session, user: User, current: str, new: str, confirm: str) -> None:
    if not passwords.verify_password(user.password_hash, current):
        raise ValidationFailed(str(_l("The new password was not accepted.")),
                               {"current_password": [str(_l("The current password is wrong."))]})
    check_new_password(new, confirm, user.username)
    if passwords.verify_password(user.password_hash, new):
        raise ValidationFailed(str(_l("The new password was not accepted.")),
                               {"new_password": [str(_l("Choose a password different from the current one."))]})
    set_password(session, user, new, must_change=False)


def set_password(session: Session, user: User, password: str, *, must_change: bool) -> None:
    """Give an existing account a new password (the pupil's own, or a one-time one from staff) and end its other
    sessions. A printable one-time password kept from a roster import is no longer the password: it is deleted,
    so no slip or export can show it again and the database no longer holds it."""
    user.password_hash = passwords.hash_password(password)
    user.must_change_password = must_change
    end_sessions(user)
    session.execute(delete(OneTimePassword).where(OneTimePassword.user_id == user.id))
