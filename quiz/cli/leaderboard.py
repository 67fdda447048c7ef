"""``flask --app wsgi leaderboard …``"""
from __future__ import annotations

import click


@click.group("leaderboard", help="Leaderboards: rebuild the Redis boards from the database.")
def leaderboard_group() -> None:
    pass
