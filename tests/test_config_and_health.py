import pytest

from quiz import create_app
from quiz.config import ConfigError, normalise_database_url


def test_production_refuses_to_start_without_a_secret_key(tmp_path, monkeypatch):
    monkeypatch.delenv("QUIZ_SECRET_KEY", raising=False)
    with pytest.raises(ConfigError, match="QUIZ_SECRET_KEY"):
        create_app({"ENV": "production", "INSTANCE_PATH": str(tmp_path), "DATABASE_URL": "sqlite://"})


def test_development_key_is_generated_once_and_kept_across_restarts(tmp_path, monkeypatch):
    monkeypatch.delenv("QUIZ_SECRET_KEY", raising=False)
    first = create_app({"ENV": "development", "INSTANCE_PATH": str(tmp_path), "DATABASE_URL": "sqlite://"})
    second = create_app({"ENV": "development", "INSTANCE_PATH": str(tmp_path), "DATABASE_URL": "sqlite://"})
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"]
    assert len(first.config["SECRET_KEY"]) >= 32
    assert (tmp_path / "secret_key").read_text().strip() == first.config["SECRET_KEY"]


def test_quiz_environment_variables_configure_the_app(tmp_path, monkeypatch):
    monkeypatch.setenv("QUIZ_SECRET_KEY", "from-env")
    monkeypatch.setenv("QUIZ_DATABASE_URL", "sqlite:///" + str(tmp_path / "x.sqlite3"))
    monkeypatch.setenv("QUIZ_REDIS_URL", "redis://127.0.0.1:1/0")
    app = create_app({"INSTANCE_PATH": str(tmp_path)})
    assert app.config["SECRET_KEY"] == "from-env"
    assert app.config["DATABASE_URL"].endswith("x.sqlite3")
    assert app.config["REDIS_URL"] == "redis://127.0.0.1:1/0"


def test_default_database_is_sqlite_under_instance(tmp_path, monkeypatch):
    monkeypatch.delenv("QUIZ_DATABASE_URL", raising=False)
    app = create_app({"INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "x"})
    assert app.config["DATABASE_URL"] == f"sqlite:///{tmp_path / 'quiz.sqlite3'}"
    assert app.config["REDIS_URL"] is None


def test_postgresql_urls_use_psycopg3():
    assert normalise_database_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_database_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"


def test_healthz_reports_database_and_redis(client, app):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ok" and body["database"] == "ok"
    assert body["redis"] == ("ok" if app.config["REDIS_URL"] else "absent")


def test_healthz_says_redis_is_down_when_it_does_not_answer(app_factory):
    app = app_factory(REDIS_URL="redis://127.0.0.1:1/0")
    response = app.test_client().get("/healthz")
    assert response.status_code == 200
    assert response.get_json()["redis"] == "down"


def test_healthz_is_503_when_the_database_does_not_answer(tmp_path):
    from tests.conftest import test_config

    app = create_app(test_config(tmp_path, DATABASE_URL="postgresql://postgres@127.0.0.1:1/nothing",
                                 REDIS_URL=None, ENGINE_OPTIONS={"connect_args": {"connect_timeout": 1}}))
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "error", "database": "down", "redis": "absent"}


def test_a_statement_the_database_refuses_is_a_logged_500_not_an_outage_to_retry(app, client):
    """A request that can never succeed (too many parameters, a bad statement) must not tell the client to
    come back in 5 seconds; only a database that cannot be reached is a 503 with Retry-After."""
    import psycopg
    from sqlalchemy.exc import OperationalError

    def too_many_parameters():
        raise OperationalError("SELECT questions.key FROM questions WHERE questions.key IN (…)", {},
                               psycopg.OperationalError("sending query and params failed: number of parameters "
                                                        "must be between 0 and 65535"))

    def unreachable():
        raise OperationalError(None, None, psycopg.OperationalError(
            "connection failed: connection to server at \"127.0.0.1\", port 5432 failed: Connection refused"))

    app.add_url_rule("/_too_many_parameters", view_func=too_many_parameters)
    app.add_url_rule("/_unreachable", view_func=unreachable)
    refused = client.get("/_too_many_parameters", headers={"Accept": "application/json"})
    assert refused.status_code == 500
    assert "Retry-After" not in refused.headers
    down = client.get("/_unreachable", headers={"Accept": "application/json"})
    assert down.status_code == 503 and down.headers["Retry-After"].isdigit()
