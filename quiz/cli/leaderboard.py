"""``flask --app wsgi leaderboard rebuild [ROUND]``: rebuild the Redis boards from the database."""
from __future__ import annotations

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from quiz.extensions import cache, db
from quiz.leaderboards.board import board_store
from quiz.leaderboards.boards import contest_board, round_board
from quiz.leaderboards.rebuilding import rebuild_boards
from quiz.models import Contest, ContestStatus, Round


@click.group("leaderboard", help="Leaderboards: rebuild the Redis boards from the database.")
def leaderboard_group() -> None:
    pass


@leaderboard_group.command("rebuild")
@click.argument("round_id", required=False, type=int)
@with_appcontext
def rebuild_command(round_id: int | None) -> None:
    """Rebuild ROUND's board and its contest's board (or every board) in Redis from the database."""
    if cache.status() == "absent" and board_store() is None:
        click.echo("Redis is not configured (QUIZ_REDIS_URL): the boards are answered from the database.")
        return
    session = db.session
    if round_id is not None:
        rnd = session.get(Round, round_id)
        if rnd is None:
            raise click.ClickException(f"round {round_id} does not exist")
        boards = [round_board(rnd), contest_board(rnd.contest)]
    else:
        contests = session.scalars(select(Contest).where(Contest.status != ContestStatus.DRAFT)
                                   .order_by(Contest.id)).all()
        boards = [b for c in contests for b in [round_board(r) for r in c.rounds] + [contest_board(c)]]
    done = rebuild_boards(session, boards)
    if done is None:
        raise click.ClickException("Redis does not answer: nothing was rebuilt (the boards are answered from the "
                                   "database meanwhile).")
    for board, count in done:
        click.echo(f"{board.kind} {board.id}: " + (f"{count} student(s)" if count is not None
                                                    else "busy, it will be rebuilt at the next read"))
    click.echo(f"{len(done)} board(s) rebuilt.")
