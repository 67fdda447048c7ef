import re
import subprocess
from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import func, select

from quiz.cli.demo import demo_command
from quiz.demo import seed_demo
from quiz.models import Role, Unit, UnitKind, User

ROOT = Path(__file__).resolve().parent.parent


def test_demo_has_the_documented_usernames_and_is_idempotent(db_session):
    assert seed_demo(db_session, "mat-khau-demo") is True
    db_session.commit()
    assert seed_demo(db_session, "mat-khau-demo") is False
    names = set(db_session.scalars(select(User.username)))
    expected = {"admin"} | {f"{r}{k}" for r in ("manager", "teacher") for k in (1, 2, 3)} | {
        f"s{k}{i:02d}" for k in (1, 2, 3) for i in range(1, 31)}
    assert expected <= names
    assert db_session.scalar(select(func.count()).select_from(User)) == len(expected)
    kinds = dict(db_session.execute(select(Unit.kind, func.count()).group_by(Unit.kind)).all())
    assert kinds[UnitKind.DEPARTMENT] == 1 and kinds[UnitKind.AREA] == 2 and kinds[UnitKind.SCHOOL] == 3
    for user in db_session.scalars(select(User)):
        assert not user.must_change_password
        if user.role is Role.STUDENT:
            assert user.unit.kind is UnitKind.CLASS and user.date_of_birth is not None
            assert re.fullmatch(r"[A-ZÀ-Ỹ][^\s]*( [A-ZÀ-ỸĐ][^\s]*){2,3}", user.full_name), user.full_name
    student = db_session.scalar(select(User).where(User.username == "s205"))
    assert student.unit.parent.name == "Trường THPT Lê Quý Đôn"


def test_demo_accounts_log_in_with_the_chosen_password(app, db_session):
    seed_demo(db_session, "mat-khau-demo")
    db_session.commit()
    client = app.test_client()
    response = client.post("/login", data={"username": "s130", "password": "mat-khau-demo"})
    assert response.status_code == 302
    assert client.get("/").status_code == 200


def test_demo_command_migrates_a_new_database_and_prints_the_logins(tmp_path):
    env = {"QUIZ_DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}", "QUIZ_SECRET_KEY": "x",
           "QUIZ_PASSWORD_HASH": "pbkdf2:sha256:1000", "PATH": "/usr/bin:/bin"}
    flask = str(ROOT / ".venv/bin/flask")
    first = subprocess.run([flask, "--app", "wsgi", "demo", "--password", "bi-mat-123"], cwd=ROOT, env=env,
                           capture_output=True, text=True, timeout=180)
    assert first.returncode == 0, first.stderr
    assert "admin" in first.stdout and "manager1" in first.stdout and "s101" in first.stdout
    second = subprocess.run([flask, "--app", "wsgi", "demo"], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=180)
    assert second.returncode == 0 and "already present" in second.stdout


def test_demo_loads_the_builtin_bank_and_a_contest_to_take_now(app, db_session):
    from quiz import clock
    from quiz.contests.eligibility import student_rounds
    from quiz.demo.banks import BANK_NAME
    from quiz.models import Attempt, Bank, Question, QuestionStatus, Round

    seed_demo(db_session, "mat-khau-demo")
    db_session.commit()
    bank = db_session.scalar(select(Bank).where(Bank.name == BANK_NAME))
    approved = db_session.scalar(select(func.count()).select_from(Question).where(
        Question.bank_id == bank.id, Question.status == QuestionStatus.APPROVED))
    assert approved >= 300
    from quiz.demo.contests import CONTEST_TITLE
    from quiz.models import Contest

    closed, open_ = db_session.scalars(select(Round).join(Round.contest).where(Contest.title == CONTEST_TITLE)
                                       .order_by(Round.number)).all()
    now = clock.now()
    assert closed.closes_at < now and closed.results_published_at is not None
    assert db_session.scalar(select(func.count()).select_from(Attempt).where(
        Attempt.round_id == closed.id, Attempt.submitted_at.is_not(None))) >= 30
    assert open_.opens_at < now < open_.closes_at
    s101 = db_session.scalar(select(User).where(User.username == "s101"))
    assert open_.id in {r.id for r in student_rounds(db_session, s101)}
