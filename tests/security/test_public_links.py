"""Absolute links carry the configured public address (``QUIZ_PUBLIC_URL``), whatever the request's Host or
X-Forwarded-Host says: a client sets both (nginx passes them on), and a printed certificate or slip cannot be
corrected once it left the school."""
from __future__ import annotations

import io
import zipfile

import pytest

from quiz import create_app
from quiz.config import ConfigError
from tests.certificates.textlayer import pdf_text, qr_modules, qr_modules_of

PUBLIC = "https://thi-asean.example.edu.vn"

# What a client can send through the documented nginx block (Host: $host, X-Forwarded-* passed on).
FORGED = {
    "x-forwarded-host": {"X-Forwarded-Host": "evil.example"},
    "host": {"Host": "evil.example"},
    "both and http": {"Host": "evil.example", "X-Forwarded-Host": "evil.example", "X-Forwarded-Proto": "http"},
}


@pytest.fixture
def app(app_factory):
    """The app as production runs it behind nginx (ProxyFix on), with its public address configured."""
    return app_factory(PUBLIC_URL=PUBLIC, PROXY_FIX=True)


@pytest.fixture
def log_in(client, login_as):
    """``login_as`` whose session cookie the browser also sends to the forged host (a Host header it sets)."""

    def log_in(user):
        login_as(user)
        client.set_cookie("session", client.get_cookie("session").value, domain="evil.example")
    return log_in


def _assert_certificate_links_to(body: bytes, url: str, tmp_path) -> None:
    text = " ".join(pdf_text(body, tmp_path).split())
    assert url in text and "evil" not in text
    assert qr_modules(body) == qr_modules_of(url), "the QR code carries another address"


@pytest.mark.parametrize("headers", FORGED.values(), ids=FORGED.keys())
def test_a_certificate_pdf_and_its_qr_code_link_to_the_public_address(scene, client, log_in, headers, tmp_path):
    serial = scene.certificate.serial
    log_in(scene.world.student1)
    response = client.get(f"/certificates/{serial}.pdf", headers=headers)
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    _assert_certificate_links_to(response.data, f"{PUBLIC}/verify/{serial}", tmp_path)


@pytest.mark.parametrize("headers", FORGED.values(), ids=FORGED.keys())
def test_the_certificates_api_links_to_the_public_address(scene, client, log_in, headers):
    serial = scene.certificate.serial
    log_in(scene.world.student1)
    [item] = client.get("/api/me/certificates", headers=headers).get_json()
    assert item["pdf_url"] == f"{PUBLIC}/certificates/{serial}.pdf"
    assert item["verify_url"] == f"{PUBLIC}/verify/{serial}"


def test_a_bulk_export_links_every_certificate_to_the_public_address(app, scene, client, log_in, tmp_path):
    from tests.certificates.test_jobs import _drain

    log_in(scene.world.admin)
    started = client.post(f"/certificates/contests/{scene.province_contest.id}/export",
                          data={"round": scene.province_round.id}, headers=FORGED["both and http"])
    assert started.status_code == 302
    _drain(app)
    job_id = int(started.headers["Location"].rsplit("/", 1)[-1])
    download = client.get(f"/certificates/jobs/{job_id}/download")
    assert download.status_code == 200
    with zipfile.ZipFile(io.BytesIO(download.data)) as archive:
        members = archive.namelist()
        assert len(members) == 2
        for name in members:
            serial = name.rsplit("/", 1)[-1].split(" ", 1)[0]
            _assert_certificate_links_to(archive.read(name), f"{PUBLIC}/verify/{serial}", tmp_path)


def test_the_sample_certificate_links_to_the_public_address(scene, client, log_in, tmp_path):
    log_in(scene.world.admin)
    response = client.get("/certificates/settings/sample.pdf", headers=FORGED["both and http"])
    assert response.status_code == 200
    _assert_certificate_links_to(response.data, f"{PUBLIC}/verify/ASEAN-0000-MAU00000", tmp_path)


def test_credential_slips_and_the_join_code_page_show_the_public_address(scene, db_session, client, log_in):
    pupil = scene.world.student1
    from quiz.models import OneTimePassword

    scene.roster.accounts = [{"user_id": pupil.id, "full_name": pupil.full_name, "class": "9A1", "date_of_birth": None,
                              "username": pupil.username}]
    pupil.must_change_password = True
    db_session.add(OneTimePassword(user_id=pupil.id, password="mot-lan-2026", created_at=scene.roster.created_at))
    db_session.commit()
    log_in(scene.world.manager1)
    slips = client.get(f"/admin/roster/{scene.roster.id}/slips", headers=FORGED["both and http"])
    assert slips.status_code == 200
    assert f"<dd>{PUBLIC}/login</dd>" in slips.get_data(as_text=True)
    log_in(scene.world.teacher1)
    code = client.get(f"/contests/{scene.class_contest.id}/code", headers=FORGED["both and http"])
    assert code.status_code == 200
    page = code.get_data(as_text=True)
    assert f"{PUBLIC}/join" in page and "evil" not in page


def test_a_public_address_with_a_path_prefix_keeps_it(app_factory, db_session):
    from quiz.public_url import public_url

    app = app_factory(PUBLIC_URL="https://so-gd.example.vn/thi-asean/")
    with app.test_request_context("/", headers={"Host": "evil.example"}):
        assert public_url("certificates.verify", serial="ASEAN-2026-K7M3Q9XA") == \
            "https://so-gd.example.vn/thi-asean/verify/ASEAN-2026-K7M3Q9XA"
    with app.app_context():  # a certificate job outside any request (thread or RQ worker)
        assert public_url("auth.login") == "https://so-gd.example.vn/thi-asean/login"


def test_production_refuses_to_start_without_a_public_address(tmp_path, monkeypatch):
    monkeypatch.delenv("QUIZ_PUBLIC_URL", raising=False)
    with pytest.raises(ConfigError, match="QUIZ_PUBLIC_URL is not set"):
        create_app({"ENV": "production", "SECRET_KEY": "k" * 64, "INSTANCE_PATH": str(tmp_path),
                    "DATABASE_URL": "sqlite://"})


@pytest.mark.parametrize("value", ["thi-asean.example.edu.vn", "ftp://thi.example.vn", "https://",
                                   "https://thi.example.vn/?next=x", "https://user:pw@thi.example.vn",
                                   "https://thi.example.vn:port"])
def test_a_public_address_that_is_not_a_web_address_is_refused_at_start(tmp_path, monkeypatch, value):
    monkeypatch.setenv("QUIZ_PUBLIC_URL", value)
    with pytest.raises(ConfigError, match="QUIZ_PUBLIC_URL"):
        create_app({"ENV": "production", "SECRET_KEY": "k" * 64, "INSTANCE_PATH": str(tmp_path),
                    "DATABASE_URL": "sqlite://"})


def test_the_public_address_comes_from_the_environment_and_defaults_to_the_development_server(tmp_path,
                                                                                               monkeypatch):
    monkeypatch.setenv("QUIZ_PUBLIC_URL", "https://Thi-ASEAN.example.edu.vn/")
    app = create_app({"ENV": "production", "SECRET_KEY": "k" * 64, "INSTANCE_PATH": str(tmp_path),
                      "DATABASE_URL": "sqlite://"})
    assert app.config["PUBLIC_URL"] == "https://thi-asean.example.edu.vn"
    monkeypatch.delenv("QUIZ_PUBLIC_URL")
    app = create_app({"ENV": "development", "SECRET_KEY": "k" * 64, "INSTANCE_PATH": str(tmp_path),
                      "DATABASE_URL": "sqlite://"})
    assert app.config["PUBLIC_URL"] == "http://127.0.0.1:5000"
