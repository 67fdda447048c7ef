"""Bulk ZIP exports: the ZIP holds exactly the certificates the requester may see; progress per chunk."""
from __future__ import annotations

import io
import zipfile

import pytest
from sqlalchemy import select

from quiz.certificates import jobs
from quiz.models import CertificateJob, JobStatus

from .helpers import issue_round


def _zip_names(client, job_url: str) -> list[str]:
    job_id = int(job_url.rstrip("/").split("/")[-1])
    download = client.get(f"/certificates/jobs/{job_id}/download")
    assert download.status_code == 200 and download.mimetype == "application/zip"
    with zipfile.ZipFile(io.BytesIO(download.data)) as archive:
        assert archive.testzip() is None
        return sorted(archive.namelist())


def _drain(app) -> None:
    """With Redis configured the job is queued: run the RQ worker until the queue is empty."""
    if jobs.mode(app) == "rq":
        from rq import SimpleWorker

        queue = jobs.rq_queue(app)
        with app.app_context():
            SimpleWorker([queue], connection=queue.connection).work(burst=True)


def test_the_department_downloads_every_certificate_of_the_round(app, db_session, client, login_as, world, pupils,
                                                                clock, finished_round):
    rnd = finished_round([(pupils[0], 90), (pupils[1], 80), (world.student2, 70)])
    certs = issue_round(db_session, world, rnd, clock.now)
    login_as(world.admin)
    started = client.post(f"/certificates/contests/{rnd.contest_id}/export", data={"round": rnd.id})
    assert started.status_code == 302
    _drain(app)
    page = client.get(started.headers["Location"])
    assert page.status_code == 200 and 'id="cert-job-bar"' in page.get_data(as_text=True)
    names = _zip_names(client, started.headers["Location"])
    assert len(names) == 4  # three completion certificates and one Giải Nhất
    c = certs[pupils[0].id]
    assert f"Trường THCS Thử Nghiệm 1/9A1/{c.serial} Trần Thị Ánh Nguyệt.pdf" in names
    assert any(n.startswith("Trường THCS Thử Nghiệm 2/9A1/") for n in names)


def test_a_teacher_gets_only_their_classes_certificates(app, db_session, client, login_as, world, pupils, clock,
                                                        finished_round):
    rnd = finished_round([(pupils[0], 90), (world.student2, 70), (world.student2b, 60)])
    issue_round(db_session, world, rnd, clock.now)
    login_as(world.teacher2)
    started = client.post(f"/certificates/contests/{rnd.contest_id}/export")
    _drain(app)
    names = _zip_names(client, started.headers["Location"])
    assert len(names) == 2 and all(n.startswith("Trường THCS Thử Nghiệm 2/9A1/") for n in names)
    login_as(world.teacher1)  # someone else's job is a 404
    job_id = started.headers["Location"].rsplit("/", 1)[-1]
    assert client.get(f"/certificates/jobs/{job_id}.json").status_code == 404
    assert client.get(f"/certificates/jobs/{job_id}/download").status_code == 404


def test_progress_is_committed_after_every_chunk(app, db_session, world, pupils, clock, finished_round,
                                                 monkeypatch):
    rnd = finished_round([(p, 90 - k) for k, p in enumerate(pupils)])
    issue_round(db_session, world, rnd, clock.now)
    public = app.config["PUBLIC_URL"]
    job, created = jobs.create_export(db_session, world.admin, rnd.contest, rnd, public, clock.now)
    db_session.commit()
    assert created and (job.status, job.total, job.done) == (JobStatus.QUEUED, 7, 0)
    again, created = jobs.create_export(db_session, world.admin, rnd.contest, rnd, public, clock.now)
    assert again.id == job.id and not created  # a second click while it waits starts nothing new
    monkeypatch.setattr(jobs, "CHUNK", 3)
    seen: list[tuple[str, int]] = []
    real_render = jobs.pdf.render

    def render(cert, signer, url):
        other = app.extensions["quiz_db"].session_factory()
        seen.append(other.execute(select(CertificateJob.status, CertificateJob.done)
                                  .where(CertificateJob.id == job.id)).one())
        other.close()
        assert url.startswith(f"{public}/verify/ASEAN-")
        return real_render(cert, signer, url)

    monkeypatch.setattr(jobs.pdf, "render", render)
    jobs.run(app, job.id)
    assert [done for _status, done in seen] == [0, 0, 0, 3, 3, 3, 6]
    assert {status for status, _done in seen} == {JobStatus.RUNNING}
    db_session.expire_all()
    finished = db_session.get(CertificateJob, job.id)
    assert (finished.status, finished.done, finished.total) == (JobStatus.DONE, 7, 7)


def test_the_status_json_drives_the_progress_bar(app, db_session, client, login_as, world, pupils, clock,
                                                 finished_round):
    rnd = finished_round([(pupils[0], 90)])
    issue_round(db_session, world, rnd, clock.now)
    login_as(world.admin)
    started = client.post(f"/certificates/contests/{rnd.contest_id}/export", data={"round": rnd.id})
    _drain(app)
    job_id = int(started.headers["Location"].rsplit("/", 1)[-1])
    state = client.get(f"/certificates/jobs/{job_id}.json").get_json()
    assert state == {"id": job_id, "status": "done", "status_label": "Đã xong", "done": 2, "total": 2,
                     "percent": 100, "download_url": f"/certificates/jobs/{job_id}/download", "error": None}


def test_a_failed_job_records_its_error(app, db_session, world, pupils, clock, finished_round, monkeypatch):
    rnd = finished_round([(pupils[0], 90)])
    issue_round(db_session, world, rnd, clock.now)
    job, _created = jobs.create_export(db_session, world.admin, rnd.contest, None, "http://localhost/", clock.now)
    db_session.commit()

    def broken(*_args):
        raise RuntimeError("disk full")

    monkeypatch.setattr(jobs.pdf, "render", broken)
    jobs.run(app, job.id)
    db_session.expire_all()
    failed = db_session.get(CertificateJob, job.id)
    assert failed.status is JobStatus.FAILED and "disk full" in failed.error


def test_nothing_to_export_is_said_plainly(db_session, client, login_as, world, finished_round):
    rnd = finished_round([])
    login_as(world.admin)
    response = client.post(f"/certificates/contests/{rnd.contest_id}/export", follow_redirects=True)
    assert "Không có giấy nào để tải về ở đây." in response.get_data(as_text=True)
    assert db_session.scalar(select(CertificateJob.id)) is None


@pytest.mark.redis
def test_with_redis_the_export_is_queued_for_the_rq_worker(app, db_session, client, login_as, world, pupils, clock,
                                                          finished_round):
    rnd = finished_round([(pupils[0], 90)])
    issue_round(db_session, world, rnd, clock.now)
    login_as(world.admin)
    assert jobs.mode(app) == "rq"
    started = client.post(f"/certificates/contests/{rnd.contest_id}/export", data={"round": rnd.id})
    job_id = int(started.headers["Location"].rsplit("/", 1)[-1])
    assert client.get(f"/certificates/jobs/{job_id}.json").get_json()["status"] == "queued"
    _drain(app)
    assert client.get(f"/certificates/jobs/{job_id}.json").get_json()["status"] == "done"
