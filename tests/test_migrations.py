import subprocess
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine

from quiz import create_app
from quiz.cli.db import upgrade
from quiz.models import Base

ROOT = Path(__file__).resolve().parent.parent


def test_migrations_build_exactly_the_schema_of_the_models(tmp_path):
    url = f"sqlite:///{tmp_path / 'm.sqlite3'}"
    app = create_app({"INSTANCE_PATH": str(tmp_path), "DATABASE_URL": url, "SECRET_KEY": "x"})
    upgrade(app)
    engine = create_engine(url)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == [], f"models and migrations differ: {diff}"


def test_cli_db_upgrade_creates_the_tables(tmp_path):
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    result = subprocess.run([str(ROOT / ".venv/bin/flask"), "--app", "wsgi", "db", "upgrade"], cwd=ROOT,
                            env={"QUIZ_DATABASE_URL": url, "QUIZ_SECRET_KEY": "x", "PATH": "/usr/bin:/bin"},
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    tables = set(create_engine(url).connect().exec_driver_sql(
        "select name from sqlite_master where type='table'").scalars())
    assert {"units", "users", "audit_log", "alembic_version"} <= tables


def test_create_all_is_never_called_by_the_application():
    offenders = [str(p) for p in (ROOT / "quiz").rglob("*.py") if "create_all(" in p.read_text()]
    assert offenders == []


def test_the_migrations_have_a_single_head():
    from alembic.script import ScriptDirectory

    from quiz import ROOT
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(ROOT / "migrations"))
    assert len(ScriptDirectory.from_config(cfg).get_heads()) == 1, "merge the branches (alembic merge heads)"


def test_migration_0011_keeps_only_the_one_time_passwords_still_valid(tmp_path):
    """Imports made before 0011 kept every one-time password in roster_imports.accounts; after it, only the
    passwords of pupils who have not chosen their own and were not reset since are kept, and not in the import."""
    import json
    from datetime import datetime, timedelta

    url = f"sqlite:///{tmp_path / 'm9.sqlite3'}"
    app = create_app({"INSTANCE_PATH": str(tmp_path), "DATABASE_URL": url, "SECRET_KEY": "x"})
    upgrade(app, "0010_round_leaderboard_misses")
    engine = create_engine(url)
    imported = datetime(2026, 9, 5, 1, 0)
    with engine.begin() as conn:
        conn.exec_driver_sql("insert into units (id, kind, name, path, created_at) values "
                             "(1, 'school', 'THCS A', '/1/', ?), (2, 'class', '9A1', '/1/2/', ?)", (imported, imported))
        for user_id, username, must_change in ((10, "activated", 0), (11, "waiting", 1), (12, "reset", 1)):
            conn.exec_driver_sql("insert into users (id, username, full_name, password_hash, role, unit_id, "
                                 "must_change_password, is_active, session_token, created_at) values "
                                 "(?, ?, ?, 'h', 'student', 2, ?, 1, 't', ?)",
                                 (user_id, username, username, must_change, imported))
        accounts = [{"user_id": i, "username": n, "full_name": n, "class": "9A1", "date_of_birth": None,
                     "password": p} for i, n, p in ((10, "activated", "aaaa2222"), (11, "waiting", "bbbb3333"),
                                                    (12, "reset", "cccc4444"))]
        conn.exec_driver_sql("insert into roster_imports (id, school_id, created_at, filename, accounts) values "
                             "(1, 1, ?, 'lop.xlsx', ?)", (imported, json.dumps(accounts)))
        conn.exec_driver_sql("insert into audit_log (id, at, actor_name, action, target_type, target_id, summary) "
                             "values (1, ?, 'manager1', 'user.reset_password', 'user', 12, 'reset')",
                             (imported + timedelta(days=2),))
    upgrade(app)
    with engine.connect() as conn:
        kept = conn.exec_driver_sql("select user_id, password from one_time_passwords").all()
        stored = conn.exec_driver_sql("select accounts from roster_imports").scalar_one()
    assert kept == [(11, "bbbb3333")]
    assert "password" not in stored and "aaaa2222" not in stored and "cccc4444" not in stored
    assert [a["username"] for a in json.loads(stored)] == ["activated", "waiting", "reset"]
