"""Bulk ZIP exports: start one, watch its progress (JSON polled by static/js/certificates.js), download it."""
from __future__ import annotations

from pathlib import Path

from flask import current_app, flash, jsonify, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from quiz import clock
from quiz.auth.session import role_required
from quiz.certificates import bp, jobs, labels
from quiz.certificates.routes import STAFF, _round_arg, job_limit
from quiz.contests.eligibility import get_staff_contest
from quiz.errors import Conflict, NotFound
from quiz.extensions import db
from quiz.models import JobStatus


@bp.route("/certificates/contests/<int:contest_id>/export", methods=["POST"])
@job_limit
@role_required(*STAFF)
def export(contest_id: int):
    contest = get_staff_contest(db.session, current_user, contest_id)
    rnd = _round_arg(contest, request.form.get("round"))
    try:
        job, created = jobs.create_export(db.session, current_user, contest, rnd,
                                           current_app.config["PUBLIC_URL"], clock.now())
    except Conflict:
        db.session.rollback()
        flash(_("There are no certificates to download here."), "error")
        return redirect(url_for("certificates.contest_page", contest_id=contest.id))
    db.session.commit()
    if created:
        jobs.dispatch(current_app._get_current_object(), job.id)  # type: ignore[attr-defined]
    return redirect(url_for("certificates.job_page", job_id=job.id))


def _job_json(job) -> dict:
    db.session.refresh(job)
    percent = 100 if job.status is JobStatus.DONE else (int(job.done * 100 / job.total) if job.total else 0)
    return {
        "id": job.id, "status": job.status.value, "status_label": str(labels.JOB_STATUS[job.status]),
        "done": job.done, "total": job.total, "percent": percent,
        "download_url": url_for("certificates.job_download", job_id=job.id) if job.status is JobStatus.DONE else None,
        "error": job.error if job.status is JobStatus.FAILED else None,
    }


@bp.route("/certificates/jobs/<int:job_id>")
@role_required(*STAFF)
def job_page(job_id: int):
    job = jobs.get_job(db.session, current_user, job_id)
    return render_template("certificates/job.html", job=job, state=_job_json(job))


@bp.route("/certificates/jobs/<int:job_id>.json")
@role_required(*STAFF)
def job_status(job_id: int):
    return jsonify(_job_json(jobs.get_job(db.session, current_user, job_id)))


@bp.route("/certificates/jobs/<int:job_id>/download")
@role_required(*STAFF)
def job_download(job_id: int):
    job = jobs.get_job(db.session, current_user, job_id)
    if job.status is not JobStatus.DONE or not job.file_path or not Path(job.file_path).exists():
        raise NotFound("export not ready")
    name = f"giay-chung-nhan-cuoc-thi-{job.contest_id}" + (f"-vong-{job.round.number}" if job.round else "") + ".zip"
    return send_file(job.file_path, mimetype="application/zip", as_attachment=True, download_name=name)
