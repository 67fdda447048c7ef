"""Command-line interface: ``flask --app wsgi <command>``."""
from __future__ import annotations

from flask import Flask


def register_commands(app: Flask) -> None:
    from quiz.cli.attempts import attempts_group
    from quiz.cli.db import db_group
    from quiz.cli.demo import demo_command

    app.cli.add_command(attempts_group)
    app.cli.add_command(db_group)
    app.cli.add_command(demo_command)
