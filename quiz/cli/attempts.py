"""``flask --app wsgi attempts finish-overdue``: score attempts whose time ran out (cron-safe)."""
from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from quiz import clock
from quiz.attempts.overdue import finish_all
from quiz.extensions import db


@click.group("attempts", help="Attempts of students.")
def attempts_group() -> None:
    pass


@attempts_group.command("finish-overdue")
@with_appcontext
def finish_overdue_command() -> None:
    """Finish and score every attempt past its deadline (safe to run every minute, even twice at once)."""
    grace = int(current_app.config.get("ATTEMPT_GRACE_SECONDS", 10))
    total = finish_all(db.session, clock.now(), grace)
    click.echo(f"{total} overdue attempt(s) finished.")
