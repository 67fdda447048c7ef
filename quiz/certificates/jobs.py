"""Bulk ZIP exports as background jobs.

A job renders the certificates its requester may see, a chunk at a time, straight into a ZIP
file on disk (``instance/certificate_exports``), committing its progress after every chunk; so
10,000 certificates neither hold a request open nor sit in memory. Where it runs:

* ``rq`` — on the RQ queue ``certificates`` when Redis is configured and answering; run a worker
  with ``flask --app wsgi certificates worker`` (or ``rq worker certificates``);
* ``thread`` — without Redis, in a background thread of the web process;
* ``inline`` — in the request itself (tests: ``TESTING``), or when ``CERTIFICATE_JOBS`` says so.
"""
from __future__ import annotations

import logging
import re
import secrets
import threading
import zipfile
from datetime import datetime
from pathlib import Path

from flask import Flask, current_app, has_app_context
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from quiz import clock
from quiz.certificates import pdf, scoping
from quiz.certificates.settings import contest_settings
from quiz.errors import Conflict, NotFound
from quiz.models import Certificate, CertificateJob, CertificateStatus, Contest, JobStatus, Round, User
from quiz.public_url import public_url

log = logging.getLogger(__name__)
QUEUE = "certificates"
CHUNK = 200
JOB_TIMEOUT = 4 * 3600


def verify_url(serial: str) -> str:
    """The address a certificate prints and puts in its QR code: on the public address, whatever the request."""
    return public_url("certificates.verify", serial=serial)


def _export_query(user: User, contest_id: int, round_id: int | None):
    stmt = scoping.visible_query(user).where(Certificate.contest_id == contest_id,
                                             Certificate.status == CertificateStatus.VALID)
    if round_id is not None:
        stmt = stmt.where(Certificate.round_id == round_id)
    return stmt


def create_export(session: Session, actor: User, contest: Contest, rnd: Round | None, base_url: str,
                  now: datetime) -> tuple[CertificateJob, bool]:
    """A queued export of the valid certificates of ``contest`` (one round, or all) that ``actor`` may see,
    and True; or the export of the same thing already queued or running, and False (do not start it again).
    ``base_url`` (the configured public address) is recorded on the job; the PDFs' links are built from the
    configuration when the job runs (``verify_url``)."""
    round_id = rnd.id if rnd else None
    running = session.scalar(select(CertificateJob).where(
        CertificateJob.requested_by_id == actor.id, CertificateJob.contest_id == contest.id,
        CertificateJob.round_id.is_(None) if round_id is None else CertificateJob.round_id == round_id,
        CertificateJob.status.in_([JobStatus.QUEUED, JobStatus.RUNNING])))
    if running is not None:
        return running, False
    total = session.scalar(_export_query(actor, contest.id, round_id).with_only_columns(func.count(Certificate.id)))
    if not total:
        raise Conflict("no certificates to export")
    job = CertificateJob(contest_id=contest.id, round_id=round_id, requested_by_id=actor.id, status=JobStatus.QUEUED,
                         total=total, done=0, base_url=base_url, created_at=now)
    session.add(job)
    session.flush()
    return job, True


def get_job(session: Session, user: User, job_id: int) -> CertificateJob:
    job = session.get(CertificateJob, job_id)
    if job is None or job.requested_by_id != user.id:
        raise NotFound("job not found")
    return job


# -- running -------------------------------------------------------------------------
def mode(app: Flask) -> str:
    configured = app.config.get("CERTIFICATE_JOBS")
    if configured in ("rq", "thread", "inline"):
        return configured
    if app.extensions["quiz_cache"].client() is not None:
        return "rq"
    return "inline" if app.testing else "thread"


def rq_queue(app: Flask):
    """The RQ queue on the configured Redis, or None when Redis is absent."""
    from rq import Queue

    cache = app.extensions["quiz_cache"]
    client = cache.client()
    if client is None:
        return None
    # RQ stores pickles: it needs a client of the same class without decode_responses.
    return Queue(QUEUE, connection=type(client).from_url(cache.url), default_timeout=JOB_TIMEOUT)


def dispatch(app: Flask, job_id: int) -> str:
    """Start the job (after the request committed it); returns where it runs."""
    how = mode(app)
    if how == "rq":
        try:
            rq_queue(app).enqueue("quiz.certificates.jobs.run_job", job_id, job_timeout=JOB_TIMEOUT,
                                  result_ttl=3600, failure_ttl=7 * 86400)
            return "rq"
        except Exception as err:  # noqa: BLE001 - Redis went away: still export, in this process
            log.warning("could not queue certificate job %s on Redis (%s); running it here", job_id, err)
            app.extensions["quiz_cache"].mark_down()
            how = "inline" if app.testing else "thread"
    if how == "thread":
        threading.Thread(target=_run_in_app, args=(app, job_id), name=f"certificates-job-{job_id}",
                         daemon=True).start()
        return "thread"
    run(app, job_id)
    return "inline"


def run_job(job_id: int) -> None:
    """The RQ entry point: runs in the worker's app context, or builds the app from the environment."""
    if has_app_context():
        run(current_app._get_current_object(), job_id)  # type: ignore[attr-defined]
        return
    from quiz import create_app

    _run_in_app(create_app(), job_id)


def _run_in_app(app: Flask, job_id: int) -> None:
    with app.app_context():
        run(app, job_id)


def export_dir(app: Flask) -> Path:
    path = Path(app.instance_path) / "certificate_exports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _safe(text: str) -> str:
    return re.sub(r"[\\/:*?\"<>|\x00-\x1f]+", "-", " ".join(text.split()))[:80].strip(" .-") or "-"


def member_name(cert: Certificate) -> str:
    parts = [_safe(cert.school_name or "Khác")]
    if cert.class_name:
        parts.append(_safe(cert.class_name))
    parts.append(f"{cert.serial} {_safe(cert.full_name)}.pdf")
    return "/".join(parts)


def run(app: Flask, job_id: int) -> None:
    """Render the job's certificates into its ZIP file, a chunk at a time, recording progress."""
    session: Session = app.extensions["quiz_db"].session_factory()
    try:
        job = session.get(CertificateJob, job_id)
        if job is None or job.status is JobStatus.DONE:
            return
        job.status, job.done, job.error = JobStatus.RUNNING, 0, None
        session.commit()
        try:
            _export(app, session, job)
        except Exception as err:  # noqa: BLE001 - recorded on the job, shown on its page
            log.exception("certificate job %s failed", job_id)
            session.rollback()
            job = session.get(CertificateJob, job_id)
            job.status, job.error, job.finished_at = JobStatus.FAILED, str(err)[:500], clock.now()
            session.commit()
    finally:
        session.close()


def _export(app: Flask, session: Session, job: CertificateJob) -> None:
    user = session.get(User, job.requested_by_id)
    contest = session.get(Contest, job.contest_id)
    signer = pdf.Signer.from_settings(contest_settings(session, contest, app.config.get("DEPARTMENT_PLACE", "Tây Ninh")))
    ids = list(session.scalars(_export_query(user, job.contest_id, job.round_id)
                               .with_only_columns(Certificate.id).order_by(Certificate.id)))
    job.total = len(ids)
    session.commit()
    final = export_dir(app) / f"certificates-{job.id}-{secrets.token_hex(6)}.zip"
    partial = final.with_suffix(".part")
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start:start + CHUNK]
            certs = session.scalars(select(Certificate).where(Certificate.id.in_(chunk)).order_by(Certificate.id)).all()
            for cert in certs:
                archive.writestr(member_name(cert), pdf.render(cert, signer, verify_url(cert.serial)))
                session.expunge(cert)
            job.done = min(job.total, start + len(chunk))
            session.commit()
    partial.replace(final)
    job.file_path, job.status, job.finished_at = str(final), JobStatus.DONE, clock.now()
    session.commit()
