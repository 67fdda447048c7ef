"""Command-line interface: ``flask --app wsgi <command>``."""
from __future__ import annotations

from flask import Flask


def register_commands(app: Flask) -> None:
    from quiz.cli.attempts import attempts_group
    from quiz.cli.bank import bank_group
    from quiz.cli.certificates import certificates_group
    from quiz.cli.db import db_group
    from quiz.cli.demo import demo_command
    from quiz.cli.leaderboard import leaderboard_group
    from quiz.cli.reports import reports_group

    app.cli.add_command(attempts_group)
    app.cli.add_command(bank_group)
    app.cli.add_command(certificates_group)
    app.cli.add_command(leaderboard_group)
    app.cli.add_command(db_group)
    app.cli.add_command(demo_command)
    app.cli.add_command(reports_group)
