"""``flask --app wsgi db upgrade|downgrade|current|revision``: Alembic migrations."""
from __future__ import annotations

import click
from alembic import command
from alembic.config import Config
from flask import Flask, current_app
from flask.cli import with_appcontext

from quiz import ROOT


def alembic_config(app: Flask) -> Config:
    cfg = Config(str(ROOT / "alembic.ini")) if (ROOT / "alembic.ini").exists() else Config()
    cfg.set_main_option("script_location", str(ROOT / "migrations"))
    cfg.set_main_option("sqlalchemy.url", app.config["DATABASE_URL"].replace("%", "%%"))
    return cfg


def upgrade(app: Flask, revision: str = "heads") -> None:
    """Apply migrations (used by the CLI, ``demo`` and the tests)."""
    command.upgrade(alembic_config(app), revision)


@click.group("db", help="Database migrations (Alembic).")
def db_group() -> None:
    pass


@db_group.command("upgrade")
@click.argument("revision", default="heads")
@with_appcontext
def upgrade_command(revision: str) -> None:
    """Apply migrations up to REVISION (default: every head)."""
    upgrade(current_app, revision)
    click.echo(f"Database at {revision}.")


@db_group.command("downgrade")
@click.argument("revision")
@with_appcontext
def downgrade_command(revision: str) -> None:
    """Revert migrations down to REVISION."""
    command.downgrade(alembic_config(current_app), revision)


@db_group.command("current")
@with_appcontext
def current_command() -> None:
    """Show the current revision."""
    command.current(alembic_config(current_app), verbose=True)


@db_group.command("revision")
@click.option("-m", "--message", required=True)
@with_appcontext
def revision_command(message: str) -> None:
    """Autogenerate a new migration from the models (review it before committing)."""
    command.revision(alembic_config(current_app), message=message, autogenerate=True)
