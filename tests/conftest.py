"""Fixtures shared by the whole suite.

SQLite in memory and no Redis by default; the same tests run against PostgreSQL
and Redis when ``TEST_DATABASE_URL`` / ``TEST_REDIS_URL`` are set. With
``REQUIRE_SERVICES=1`` an unreachable service fails the run instead of skipping.
"""
from __future__ import annotations

import os
import socket
from datetime import date, datetime, timedelta, timezone
from typing import Any, Callable
from urllib.parse import urlsplit

import pytest
from sqlalchemy import text

from quiz import clock as quiz_clock
from quiz import create_app
from quiz.models import Base, Role, Unit, UnitKind, User

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL") or ""
TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL") or ""
REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"
ON_POSTGRES = TEST_DATABASE_URL.startswith("postgres")
TEST_PASSWORD = "matkhau-2026"


def _reachable(url: str, default_port: int) -> bool:
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or default_port), timeout=2):
            return True
    except OSError:
        return False


_missing: list[str] = []
if TEST_DATABASE_URL and not _reachable(TEST_DATABASE_URL, 5432):
    _missing.append(f"PostgreSQL at {TEST_DATABASE_URL}")
if TEST_REDIS_URL and not _reachable(TEST_REDIS_URL, 6379):
    _missing.append(f"Redis at {TEST_REDIS_URL}")


def pytest_report_header(config: pytest.Config) -> str:
    return (f"ASEAN Quiz backends: database={'PostgreSQL' if ON_POSTGRES else 'SQLite (memory)'}, "
            f"redis={'yes' if TEST_REDIS_URL else 'absent'}, require_services={REQUIRE_SERVICES}")


def pytest_configure(config: pytest.Config) -> None:
    if _missing and REQUIRE_SERVICES:
        raise pytest.UsageError("REQUIRE_SERVICES=1 but these are unreachable: " + ", ".join(_missing))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if _missing:
            item.add_marker(pytest.mark.skip(reason="unreachable: " + ", ".join(_missing)))
        elif "postgres" in item.keywords and not ON_POSTGRES:
            item.add_marker(pytest.mark.skip(reason="needs PostgreSQL (TEST_DATABASE_URL)"))
        elif "redis" in item.keywords and not TEST_REDIS_URL:
            item.add_marker(pytest.mark.skip(reason="needs Redis (TEST_REDIS_URL)"))


_schema_ready = False


def _reset_database(engine) -> None:
    """Empty every table (PostgreSQL) between tests; SQLite memory databases start empty."""
    if engine.dialect.name == "postgresql":
        names = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
        with engine.begin() as conn:
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


def test_config(tmp_path, **overrides: Any) -> dict[str, Any]:
    cfg = {
        "ENV": "testing",
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "DATABASE_URL": TEST_DATABASE_URL or "sqlite://",
        "REDIS_URL": TEST_REDIS_URL or None,
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "WTF_CSRF_ENABLED": False,
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
    }
    cfg.update(overrides)
    return cfg


test_config.__test__ = False  # not a test


@pytest.fixture
def app_factory(tmp_path) -> Callable[..., Any]:
    """Build an app with test settings; the schema is created (tests only) and emptied afterwards."""
    made = []

    def build(**overrides: Any):
        global _schema_ready
        app = create_app(test_config(tmp_path, **overrides))
        ext = app.extensions["quiz_db"]
        if ext.engine.dialect.name == "sqlite" or not _schema_ready:
            if ext.engine.dialect.name == "postgresql":
                Base.metadata.drop_all(ext.engine)
                with ext.engine.begin() as conn:
                    conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
                _schema_ready = True
            Base.metadata.create_all(ext.engine)
        if overrides.get("REDIS_URL", TEST_REDIS_URL) == TEST_REDIS_URL and TEST_REDIS_URL:
            # a patient client of its own: a busy shared Redis must not fail the test before it starts
            client = app.extensions["quiz_cache"].client()
            type(client).from_url(TEST_REDIS_URL, socket_timeout=30, socket_connect_timeout=10).flushdb()
        made.append(app)
        return app

    yield build
    for app in made:
        ext = app.extensions["quiz_db"]
        _reset_database(ext.engine)
        ext.engine.dispose()


@pytest.fixture
def app(app_factory):
    return app_factory()


@pytest.fixture
def app_ctx(app):
    with app.app_context():
        yield app


@pytest.fixture
def db_session(app_ctx):
    from quiz.extensions import db

    yield db.session


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def clock():
    """Freeze the server clock; move it with ``clock.set(...)`` or ``clock.advance(...)``."""

    class FrozenClock:
        def __init__(self) -> None:
            self.now = datetime(2026, 11, 20, 2, 0, tzinfo=timezone.utc)  # 09:00 in Hà Nội
            quiz_clock.freeze(self.now)

        def set(self, when: datetime) -> None:
            self.now = when
            quiz_clock.freeze(when)

        def advance(self, **delta: float) -> datetime:
            self.set(self.now + timedelta(**delta))
            return self.now

    frozen = FrozenClock()
    yield frozen
    quiz_clock.freeze(None)


# -- factories -----------------------------------------------------------------
def _unit(session, kind: UnitKind, name: str, parent: Unit | None, **extra) -> Unit:
    unit = Unit(kind=kind, name=name, parent=parent, created_at=quiz_clock.now(), **extra)
    session.add(unit)
    session.flush()
    unit.path = f"{parent.path if parent else '/'}{unit.id}/"
    return unit


@pytest.fixture
def make_department(db_session):
    def make(name: str = "Sở Giáo dục và Đào tạo Tây Ninh") -> Unit:
        existing = db_session.query(Unit).filter_by(kind=UnitKind.DEPARTMENT).first()
        return existing or _unit(db_session, UnitKind.DEPARTMENT, name, None, code="SO")
    return make


@pytest.fixture
def make_area(db_session, make_department):
    def make(name: str = "Khu vực Tây Ninh") -> Unit:
        return _unit(db_session, UnitKind.AREA, name, make_department())
    return make


@pytest.fixture
def make_school(db_session, make_department):
    counter = iter(range(1, 10_000))

    def make(name: str | None = None, area: Unit | None = None, enrolled: int = 80) -> Unit:
        n = next(counter)
        return _unit(db_session, UnitKind.SCHOOL, name or f"Trường THCS Số {n}", area or make_department(),
                     enrolled=enrolled, code=f"SCH{n}-{id(db_session) % 1000}")
    return make


@pytest.fixture
def make_class(db_session, make_school):
    def make(name: str = "9A1", school: Unit | None = None, grade: int = 9, enrolled: int = 40) -> Unit:
        return _unit(db_session, UnitKind.CLASS, name, school or make_school(), grade=grade, enrolled=enrolled)
    return make


@pytest.fixture
def make_user(db_session, make_department, make_school, make_class):
    from quiz.auth import passwords

    counter = iter(range(1, 100_000))
    pw_hash = passwords.hash_password(TEST_PASSWORD)

    def make(role: Role = Role.STUDENT, unit: Unit | None = None, username: str | None = None,
             full_name: str | None = None, classes: list[Unit] | None = None, **extra) -> User:
        n = next(counter)
        if unit is None:
            unit = {Role.ADMIN: make_department, Role.MANAGER: make_school, Role.TEACHER: make_school,
                    Role.STUDENT: make_class}[role]()
        user = User(username=username or f"{role.value}{n}", full_name=full_name or f"Nguyễn Văn Thử {n}",
                    role=role, unit=unit, password_hash=pw_hash, created_at=quiz_clock.now(),
                    classes=classes or [], date_of_birth=extra.pop("date_of_birth", date(2012, 5, 17)), **extra)
        db_session.add(user)
        db_session.flush()
        return user
    return make


@pytest.fixture
def make_student(make_user, make_class):
    def make(klass: Unit | None = None, **kw) -> User:
        return make_user(Role.STUDENT, unit=klass or make_class(), **kw)
    return make


@pytest.fixture
def world(db_session, make_department, make_area, make_school, make_class, make_user):
    """Two schools with a manager, a teacher, a class and two students each, plus the Department admin."""

    class World:
        pass

    w = World()
    w.department = make_department()
    w.area = make_area()
    w.admin = make_user(Role.ADMIN, unit=w.department, username="admin")
    for k in (1, 2):
        school = make_school(f"Trường THCS Thử Nghiệm {k}", area=w.area)
        klass = make_class("9A1", school=school)
        setattr(w, f"school{k}", school)
        setattr(w, f"class{k}", klass)
        setattr(w, f"manager{k}", make_user(Role.MANAGER, unit=school, username=f"manager{k}"))
        setattr(w, f"teacher{k}", make_user(Role.TEACHER, unit=school, username=f"teacher{k}", classes=[klass]))
        setattr(w, f"student{k}", make_user(Role.STUDENT, unit=klass, username=f"s{k}01"))
        setattr(w, f"student{k}b", make_user(Role.STUDENT, unit=klass, username=f"s{k}02"))
    db_session.commit()
    return w


@pytest.fixture
def login_as(client):
    """Log the test client in as a user (by object or username) without a form round trip."""

    def login(user: User) -> User:
        with client.session_transaction() as sess:
            sess.clear()
            sess["_user_id"] = user.get_id()
            sess["_fresh"] = True
        return user
    return login


# -- banks, questions, contests, rounds -------------------------------------------
@pytest.fixture
def make_bank(db_session, make_department):
    from quiz.models import Bank, BankVisibility

    def make(name: str = "Ngân hàng thử nghiệm", owner_unit: Unit | None = None, owner_user: User | None = None,
             visibility: BankVisibility = BankVisibility.PROVINCE) -> Bank:
        bank = Bank(name=name, owner_unit=owner_unit or make_department(), owner_user=owner_user,
                    visibility=visibility, description="", created_at=quiz_clock.now())
        db_session.add(bank)
        db_session.flush()
        return bank
    return make


@pytest.fixture
def make_question(db_session, make_bank):
    """An approved single-choice question by default; ``correct`` lists the indexes of correct options."""
    import question_bank as qb
    from quiz.banks.questions import add_question
    from quiz.models import QuestionStatus

    counter = iter(range(1, 1_000_000))
    default_bank = []

    def make(bank=None, *, type: str = "single", options: int = 4, correct: tuple[int, ...] = (0,),
             pillar: str = "history", difficulty: str = "easy", status=QuestionStatus.APPROVED,
             stem: str | None = None, explanation: str = "Giải thích.", key: str | None = None):
        if bank is None:
            if not default_bank:
                default_bank.append(make_bank())
            bank = default_bank[0]
        n = next(counter)
        if type == "true_false":
            opts = [qb.Option({"vi": "Đúng", "en": "True"}, 0 in correct), qb.Option({"vi": "Sai", "en": "False"}, 1 in correct)]
        else:
            opts = [qb.Option({"vi": f"Phương án {chr(65 + i)} của câu {n}", "en": f"Option {chr(65 + i)} of {n}"},
                              i in correct) for i in range(options)]
        domain = qb.Question(type=qb.QuestionType(type), stem={"vi": stem or f"Câu hỏi số {n} về ASEAN?",
                                                               "en": f"Question {n} about ASEAN?"},
                             options=opts, explanation={"vi": explanation, "en": "Explanation."},
                             pillar=qb.Pillar(pillar), difficulty=qb.Difficulty(difficulty), key=key,
                             tags=["thu-nghiem"], source="Tài liệu thử nghiệm")
        return add_question(db_session, bank, domain, None, status)
    return make


@pytest.fixture
def make_round(db_session, make_question, make_department):
    """A scheduled province contest with one round open now (needs the ``clock`` fixture or real time)."""
    from datetime import timedelta as _td

    from quiz.models import (Contest, ContestScope, ContestStatus, ContestUnit, PaperMode, ReviewPolicy, Round,
                             RoundQuestion)

    def make(questions=None, *, opens_in_minutes: int = -10, duration_minutes: int = 120, time_limit: int = 30,
             scope: ContestScope = ContestScope.PROVINCE, organiser: Unit | None = None, units: list[Unit] = (),
             review_policy: ReviewPolicy = ReviewPolicy.AFTER_CLOSE, attempts_allowed: int = 1,
             status: ContestStatus = ContestStatus.SCHEDULED, shuffle: bool = True, points: int = 1,
             prediction_question: str | None = None, title: str = "Cuộc thi thử nghiệm", grades=()):
        questions = questions if questions is not None else [make_question() for _ in range(5)]
        now = quiz_clock.now()
        contest = Contest(title=title, scope=scope, organiser_unit=organiser or make_department(), status=status,
                          grades=list(grades), attempts_allowed=attempts_allowed, points_per_question=points,
                          review_policy=review_policy, created_at=now, description="",
                          units=[ContestUnit(unit_id=u.id) for u in units])
        rnd = Round(contest=contest, number=1, title="Tuần 1", opens_at=now + _td(minutes=opens_in_minutes),
                    closes_at=now + _td(minutes=opens_in_minutes + duration_minutes), time_limit_minutes=time_limit,
                    paper_mode=PaperMode.FIXED, seed=12345, shuffle_questions=shuffle, shuffle_options=shuffle,
                    prediction_question=prediction_question, created_at=now,
                    fixed_questions=[RoundQuestion(position=i, question_id=q.id) for i, q in enumerate(questions)])
        db_session.add(contest)
        db_session.flush()
        return rnd
    return make
