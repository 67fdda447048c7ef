"""``flask --app wsgi certificates …``: the RQ worker for bulk exports, issuing from the command line."""
from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from quiz import clock


@click.group("certificates", help="Certificates: issue and export.")
def certificates_group() -> None:
    pass


@certificates_group.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
@with_appcontext
def worker_command(burst: bool) -> None:
    """Run the bulk-export jobs queued on Redis (the ``certificates`` RQ queue)."""
    from rq import SimpleWorker

    from quiz.certificates.jobs import rq_queue

    queue = rq_queue(current_app)
    if queue is None:
        raise click.ClickException("QUIZ_REDIS_URL is not set (or Redis does not answer): without Redis the "
                                   "exports run inside the web process and no worker is needed.")
    click.echo(f"Worker for the '{queue.name}' queue on {current_app.config['REDIS_URL']}")
    SimpleWorker([queue], connection=queue.connection).work(burst=burst)


@certificates_group.command("run-job")
@click.argument("job_id", type=int)
@with_appcontext
def run_job_command(job_id: int) -> None:
    """Run (or run again) one export job here, in the foreground."""
    from quiz.certificates.jobs import run
    from quiz.extensions import db
    from quiz.models import CertificateJob

    run(current_app, job_id)
    job = db.session.get(CertificateJob, job_id)
    click.echo(f"Job {job_id}: {job.status.value if job else 'not found'}"
               + (f", {job.done}/{job.total}, {job.file_path or job.error}" if job else ""))


@certificates_group.command("issue")
@click.argument("contest_id", type=int)
@click.option("--round", "round_number", type=int, default=None, help="Round number (default: the whole contest).")
@click.option("--as", "username", default="admin", show_default=True, help="The account that issues.")
@with_appcontext
def issue_command(contest_id: int, round_number: int | None, username: str) -> None:
    """Issue the certificates of a round (or the whole contest) whose results are published."""
    from quiz.certificates import issuing
    from quiz.contests.eligibility import get_managed_contest
    from quiz.errors import DomainError
    from quiz.extensions import db
    from quiz.models import User

    session = db.session
    actor = session.scalar(select(User).where(User.username == username))
    if actor is None:
        raise click.ClickException(f"no account {username!r}")
    try:
        contest = get_managed_contest(session, actor, contest_id)
        rnd = None
        if round_number is not None:
            rnd = next((r for r in contest.rounds if r.number == round_number), None)
            if rnd is None:
                raise click.ClickException(f"contest {contest_id} has no round {round_number}")
        outcome = issuing.issue(session, actor, contest, rnd, clock.now())
    except DomainError as err:
        session.rollback()
        raise click.ClickException(err.message) from None
    session.commit()
    click.echo(f"{outcome.issued} certificates issued, {outcome.already} issued before.")
