"""Database engine and the one session per request (or per CLI command)."""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, TypeVar

from flask import Flask, current_app, g, has_request_context, request
from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

T = TypeVar("T")

# PostgreSQL takes at most 65,535 parameters in one statement (SQLite 32,766, or 999 when built before 3.32):
# values that come from a file (keys, image names, the ids they lead to) are looked up IN_BATCH at a time.
IN_BATCH = 900  # with room for the other parameters of the statement


def in_batches(values: Iterable[T], size: int | None = None) -> Iterator[list[T]]:
    """``values`` in lists of at most ``size`` (default :data:`IN_BATCH`), for ``column.in_(batch)``."""
    size = size or IN_BATCH
    items = list(values)
    for start in range(0, len(items), size):
        yield items[start:start + size]


def make_engine(url: str, **options: Any) -> Engine:
    """An engine with the settings this application needs for each backend."""
    if url.startswith("sqlite"):
        if ":memory:" in url or url in ("sqlite://", "sqlite:///"):
            options.setdefault("poolclass", StaticPool)
        options.setdefault("connect_args", {"check_same_thread": False, "timeout": 30})
        engine = create_engine(url, **options)

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):  # pragma: no cover - trivial
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            if ":memory:" not in url:
                cur.execute("PRAGMA journal_mode=WAL")
                cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()

        return engine
    options.setdefault("pool_pre_ping", True)
    options.setdefault("pool_size", 10)
    options.setdefault("max_overflow", 20)
    return create_engine(url, **options)


class Database:
    """Holds the engine and the session factory; hands out the request's session."""

    def __init__(self) -> None:
        self.engine: Engine | None = None
        self.session_factory: sessionmaker[Session] | None = None

    def init_app(self, app: Flask) -> None:
        self.engine = make_engine(app.config["DATABASE_URL"], **app.config.get("ENGINE_OPTIONS", {}))
        self.session_factory = sessionmaker(self.engine, expire_on_commit=False)
        app.extensions["quiz_db"] = self
        app.teardown_request(self._close_request_session)
        app.teardown_appcontext(self._close_context_session)

    @property
    def session(self) -> Session:
        """The session of the current request, or of the app context (CLI commands, tests).

        A request always gets its own session, even inside an app context that is
        already pushed, so what a request leaves uncommitted never leaks anywhere.
        """
        if has_request_context():
            environ = request.environ
            if "quiz.db_session" not in environ:
                environ["quiz.db_session"] = current_app.extensions["quiz_db"].session_factory()
            return environ["quiz.db_session"]
        if "db_session" not in g:
            g.db_session = current_app.extensions["quiz_db"].session_factory()
        return g.db_session

    @staticmethod
    def _close_request_session(_exc: BaseException | None) -> None:
        session = request.environ.pop("quiz.db_session", None)
        if session is not None:
            session.close()  # rolls back anything not committed

    @staticmethod
    def _close_context_session(_exc: BaseException | None) -> None:
        session = g.pop("db_session", None)
        if session is not None:
            session.close()
