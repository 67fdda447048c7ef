"""``flask --app wsgi reports refresh``: keep the stored item sums of running rounds up to date (cron-safe)."""
from __future__ import annotations

from datetime import timedelta

import click
from flask.cli import with_appcontext

from quiz import clock
from quiz.extensions import db
from quiz.models import Round
from quiz.reports import stored, summary


@click.group("reports", help="Round reports.")
def reports_group() -> None:
    pass


@reports_group.command("refresh")
@click.option("--days", default=stored.RECENT.days, show_default=True,
              help="Also rounds closed this many days ago or less, or with a submission that recent.")
@with_appcontext
def refresh_command(days: int) -> None:
    """Fold new submissions of every open or recently closed round into its stored item sums, so the item
    analysis of a whole round never waits for them (run it every minute; two at once wait for each other)."""
    session = db.session
    now = clock.now()
    rounds = [r.id for r in stored.refresh_due(session, now, timedelta(days=days))]
    session.rollback()
    added = 0
    for round_id in rounds:
        rnd = session.get(Round, round_id)
        result = summary.prepare_round(session, rnd, now)
        session.commit()  # one round per transaction: its lock is held no longer than its own work
        added += result.added
        if result.added or result.removed or result.rebuilt:
            click.echo(f"round {round_id}: {result.added} folded in, {result.removed} taken out"
                       + (" (recomputed from scratch)" if result.rebuilt else ""))
    click.echo(f"{len(rounds)} round(s) checked, {added} attempt(s) folded in.")
