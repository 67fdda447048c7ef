"""``flask --app wsgi demo``: create the demo data once and print the logins."""
from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from quiz.cli.db import upgrade
from quiz.demo import DEFAULT_PASSWORD, login_lines, seed_demo
from quiz.extensions import db


@click.command("demo")
@click.option("--password", default=None, help=f"Password of every demo account (default: {DEFAULT_PASSWORD}).")
@with_appcontext
def demo_command(password: str | None) -> None:
    """Create the demo province (units, accounts, …) unless it exists; print the demo logins."""
    upgrade(current_app)
    created = seed_demo(db.session, password or DEFAULT_PASSWORD)
    db.session.commit()
    if created:
        click.echo("Demo data created.")
        shown = password or DEFAULT_PASSWORD
    else:
        click.echo("Demo data already present; nothing changed.")
        shown = password or DEFAULT_PASSWORD
    click.echo("Demo logins (http://127.0.0.1:%s):" % current_app.config.get("PORT", 5000))
    for line in login_lines(shown):
        click.echo(line)
