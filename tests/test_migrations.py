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
