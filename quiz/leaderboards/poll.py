"""The polled JSON of a board, cheap: answer ``If-None-Match`` before reading the board, share pages between viewers.

Every student's page polls its board every few seconds. A poll should cost almost nothing while the board did
not change, and little when it did:

1. **Who sees what, from one narrow query.** ``facts`` reads the round (or contest) and its rounds' settings in
   one statement, without ORM objects. For the common viewers — organisers, anonymous visitors and students on a
   public board — ``quick_seen`` decides what they see exactly as ``visibility._view`` does; for the others
   (school staff, a student on a board that is only visible because the results are published) the ordinary
   ``visibility`` functions decide (``Seen.of(view)``).
2. **The ETag is ``<version tag>.<body hash>``.** The version tag hashes what the payload depends on: the board's
   version (live board in Redis: its generation counter, bumped by every live update and re-randomised by every
   rebuild; otherwise — no Redis, Redis down, or a frozen board — the database fingerprint of its attempts, with
   the freeze cutoff, kept 1 s per process), the viewer (``Seen``: me, organiser, initials, school, freeze
   cutoff), the query (filters, limit, offset) and the minute (so that renamed students or moved classes show
   within a minute). A poll whose tag matches is a 304 before anything else is read. A frozen board's version
   never depends on attempts after its cutoff: its ETag does not move while the live board does.
3. **Otherwise the body is built from shared parts**: a page (rows, total, names) is kept 2 s per process under
   the board's version and the query; the viewer's own row is one Redis lookup (or the decoded ranked list of
   the database path). If the body is the one the client has (its hash matches), the answer is still a 304,
   with the new ETag.

Nothing cached here mixes viewers: names are chosen per viewer from the shared page, and "me" is per viewer."""
from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Iterable

from flask import current_app, has_app_context
from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from quiz.auth.identity import Viewer
from quiz.cache import CacheUnavailable
from quiz.errors import NotFound
from quiz.leaderboards import board as board_reader
from quiz.leaderboards import redis_board, sql_board
from quiz.leaderboards.boards import Row, distance_shown, fingerprint_of, signature_of, uses_prediction
from quiz.leaderboards.payload import Person, entry, etag_of, people
from quiz.leaderboards.visibility import (View, contest_view, freeze_start, full_name_shown, is_organiser,
                                          resolve_filters, round_published, round_view)
from quiz.models import Contest, ContestStatus, Role, Round, User

VERSION_SECONDS = 1.0  # a database fingerprint is reused this long per process (commits here drop it at once)
PAGE_SECONDS = 2.0  # a page of a board version (rows, total, names) is shared this long per process
PERSON_SECONDS = 30.0  # a student's name, school and class
TAG_BUCKET_SECONDS = 60  # version tags change at least this often: renames and moved classes show
# At most this many entries per kind and process (then that kind starts over): pages, versions, persons.
LOCAL_ENTRIES = {"pages": 256, "versions": 256, "persons": 20_000}


# -- 1. what the viewer sees ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class ContestFacts:
    id: int
    status: ContestStatus
    scope: Any
    organiser_unit_id: int
    created_by_id: int | None
    leaderboard_public: bool
    results_public: bool
    leaderboard_initials: bool
    scoring_rule: Any


@dataclass(frozen=True)
class RoundFacts:
    """The round settings ``visibility.freeze_start`` and ``round_published`` read (duck-typed ``Round``)."""

    id: int
    contest: ContestFacts
    closes_at: datetime
    freeze_minutes: int | None
    results_published_at: datetime | None
    prediction_question: bool
    prediction_answer: int | None
    leaderboard_misses: int


@dataclass(frozen=True)
class Facts:
    kind: str  # "round" | "contest"
    id: int
    contest: ContestFacts
    rounds: tuple[RoundFacts, ...]


_CONTEST_COLUMNS = (Contest.id, Contest.status, Contest.scope, Contest.organiser_unit_id, Contest.created_by_id,
                    Contest.leaderboard_public, Contest.results_public, Contest.leaderboard_initials,
                    Contest.scoring_rule)
_ROUND_COLUMNS = (Round.id, Round.closes_at, Round.freeze_minutes, Round.results_published_at,
                  Round.prediction_question.is_not(None) & (Round.prediction_question != ""),  # bool(text)
                  Round.prediction_answer, Round.leaderboard_misses)
_ROUND_FACTS = (select(*_CONTEST_COLUMNS, *_ROUND_COLUMNS).join(Round, Round.contest_id == Contest.id)
                .where(Round.id == bindparam("board_id")))
_CONTEST_FACTS = (select(*_CONTEST_COLUMNS, *_ROUND_COLUMNS).outerjoin(Round, Round.contest_id == Contest.id)
                  .where(Contest.id == bindparam("board_id")).order_by(Round.number))


def facts(session: Session, kind: str, board_id: int) -> Facts:
    """The settings of a round board (or a contest board and its rounds): one statement."""
    found = session.connection().execute(_ROUND_FACTS if kind == "round" else _CONTEST_FACTS,
                                         {"board_id": board_id}).all()  # Core: no ORM work per poll
    if not found:
        raise NotFound(f"{kind} not found")
    n = len(_CONTEST_COLUMNS)
    contest = ContestFacts(*found[0][:n])
    rounds = tuple(RoundFacts(row[n], contest, *row[n + 1:]) for row in found if row[n] is not None)
    return Facts(kind, board_id, contest, rounds)


@dataclass(frozen=True)
class Seen:
    """Everything of a ``View`` the payload depends on (and the board's identity), as plain values."""

    kind: str
    id: int
    signature: str
    round_ids: tuple[int, ...]
    cutoffs: tuple[tuple[int, datetime], ...] = ()
    organiser: bool = False
    restrict_path: str | None = None
    initials: bool = False
    named_units: tuple[str, ...] = ()
    me_id: int | None = None
    frozen_at: datetime | None = None
    uses_prediction: bool = False
    shows_distance: bool = False
    view: View | None = field(default=None, compare=False)  # the ORM view when the full rules decided

    @property
    def prefix(self) -> str:
        return f"lb:1:{self.kind}:{self.id}"

    def shows_full_name(self, user_id: int, path: str) -> bool:
        return full_name_shown(self.initials, self.organiser, self.me_id, self.named_units, user_id, path)

    @classmethod
    def of(cls, view: View) -> Seen:
        board = view.board
        return cls(board.kind, board.id, board.signature(), tuple(r.id for r in board.rounds), board.cutoffs,
                   view.organiser, view.restrict_to.path if view.restrict_to is not None else None, view.initials,
                   tuple(view.named_units), view.me_id, view.frozen_at, view.uses_prediction, view.shows_distance, view)


def _user(viewer: Any) -> Any:
    return viewer if getattr(viewer, "is_authenticated", False) else None


def quick_seen(f: Facts, viewer: Any, now: datetime) -> Seen | None:
    """What ``visibility._view`` decides, for organisers, visitors and students on a public board; None for the
    views that need more of the database (school staff; a non-public board; a draft: the full rules answer)."""
    user, contest = _user(viewer), f.contest
    if f.kind == "round":
        if not f.rounds:
            return None
        rnd = f.rounds[0]
        start = freeze_start(rnd, now)
        cutoffs = ((rnd.id, start),) if start else ()
        published, frozen_at = round_published(rnd), start
    else:
        found = {r.id: s for r in f.rounds if (s := freeze_start(r, now)) is not None}
        cutoffs = tuple(sorted(found.items()))
        published = contest.status is ContestStatus.PUBLISHED
        frozen_at = min(found.values()) if found else None
    rounds = [(r.id, r.prediction_question, r.prediction_answer, r.leaderboard_misses) for r in f.rounds]
    ids = tuple(r.id for r in f.rounds)
    student_id = user.id if user is not None and user.role is Role.STUDENT else None
    prediction = dict(uses_prediction=uses_prediction(f.rounds))
    if is_organiser(user, contest):
        return Seen(f.kind, f.id, signature_of(contest.scoring_rule.value, rounds, ()), ids, organiser=True,
                    me_id=student_id, shows_distance=distance_shown(f.rounds, True, now), **prediction)
    if contest.status is ContestStatus.DRAFT:
        return None
    public = contest.leaderboard_public or (contest.results_public and published)
    if not public or (user is not None and user.role in (Role.MANAGER, Role.TEACHER)):
        return None
    return Seen(f.kind, f.id, signature_of(contest.scoring_rule.value, rounds, cutoffs), ids, cutoffs,
                initials=contest.leaderboard_initials, me_id=student_id, frozen_at=frozen_at,
                shows_distance=distance_shown(f.rounds, False, now), **prediction)


def seen_for(session: Session, viewer: Any, kind: str, board_id: int, now: datetime) -> Seen:
    f = facts(session, kind, board_id)
    quick = quick_seen(f, viewer, now)
    if quick is not None:
        return quick
    view = (round_view if kind == "round" else contest_view)(session, _full(session, viewer), board_id, now)
    return Seen.of(view)


def _full(session: Session, viewer: Any) -> Any:
    """The ORM ``User`` behind a narrow ``Viewer`` (the full visibility rules read its unit and classes)."""
    return session.get(User, viewer.id) if isinstance(viewer, Viewer) else viewer


# -- per-app, per-process memory ------------------------------------------------------------------------------
def _local(name: str) -> dict:
    return current_app.extensions.setdefault(f"quiz.lb_poll.{name}", {})


def _remember(store: dict, key: Any, value: Any, seconds: float, limit: int) -> Any:
    if len(store) >= limit:
        store.clear()
    store[key] = (time.monotonic() + seconds, value)
    return value


def _recall(store: dict, key: Any) -> Any:
    hit = store.get(key)
    return hit[1] if hit is not None and hit[0] > time.monotonic() else None


def forget_rounds(round_ids: Iterable[int]) -> None:
    """A commit of this process changed attempts of these rounds: drop what was kept about their boards."""
    if not has_app_context():
        return
    touched = set(round_ids)
    for name in ("versions", "pages"):
        store = _local(name)
        for key in list(store):  # a copy: other threads of the worker add entries meanwhile
            if touched.intersection(key[0]):
                store.pop(key, None)


# -- 2. the version of the board -------------------------------------------------------------------------------
def version(session: Session, seen: Seen) -> tuple[str | None, str]:
    """(version, source): the Redis generation of a live board, else the database fingerprint (kept 1 s per
    process); version None when the board must be (re)built before anything can be said about it."""
    if not seen.cutoffs:
        store = board_reader.board_store()
        if store is not None:
            try:
                gen = redis_board.generation(store, seen.prefix, seen.signature)
                return (None if gen is None else f"g{gen}"), "redis"
            except CacheUnavailable:
                pass
    versions = _local("versions")
    key = (seen.round_ids, seen.signature)
    found = _recall(versions, key)
    if found is None:
        found = _remember(versions, key, fingerprint_of(session, seen.signature, list(seen.round_ids),
                                                        dict(seen.cutoffs)), VERSION_SECONDS,
                          LOCAL_ENTRIES["versions"])
    return f"f{found}", "database"


def version_tag(seen: Seen, query: Any, board_version: str | None, now: datetime) -> str:
    if board_version is None:
        return "n"
    parts = (seen.kind, seen.id, seen.signature, seen.cutoffs, seen.organiser, seen.restrict_path, seen.initials,
             seen.named_units, seen.me_id, seen.frozen_at, seen.shows_distance, query.limit, query.offset, query.area, query.school,
             query.klass, board_version, int(now.timestamp()) // TAG_BUCKET_SECONDS)
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:20]


# -- 3. the body -----------------------------------------------------------------------------------------------
@dataclass
class _Page:
    rows: list[Row]
    total: int
    persons: dict[int, Person]
    source: str


def _orm_view(session: Session, viewer: Any, seen: Seen, now: datetime) -> View:
    if seen.view is not None:
        return seen.view
    view = (round_view if seen.kind == "round" else contest_view)(session, _full(session, viewer), seen.id, now)
    return view


def _persons(session: Session, user_ids: list[int]) -> dict[int, Person]:
    store = _local("persons")
    found = {uid: p for uid in user_ids if (p := _recall(store, uid)) is not None}
    missing = [uid for uid in user_ids if uid not in found]
    for uid, person in people(session, missing).items():
        found[uid] = _remember(store, uid, person, PERSON_SECONDS, LOCAL_ENTRIES["persons"])
    return found


class _Ref:
    """What ``redis_board.page`` and ``find`` need of a board."""

    def __init__(self, seen: Seen) -> None:
        self.prefix, self._signature = seen.prefix, seen.signature

    def signature(self) -> str:
        return self._signature


@dataclass
class _Unrestricted:
    """The part of a ``View`` that ``resolve_filters`` reads, for the quick views (never limited to a school)."""

    restrict_to: None = None


def _kept_rows(seen: Seen, board_version: str | None, unit_id: int | None, offset: int, limit: int,
               empty: bool) -> tuple[list[Row], int, str] | None:
    """A page without the ORM board: from Redis (live board, ready) or this process's decoded ranked list."""
    if board_version is None:
        return None
    if board_version.startswith("g"):
        store = board_reader.board_store()
        if store is None:
            return None
        if empty:
            return [], 0, "redis"
        try:
            return (*redis_board.page(store, _Ref(seen), unit_id, offset, limit), "redis")
        except (CacheUnavailable, redis_board.NotReady, ValueError):
            return None
    ranked = sql_board.kept(seen.kind, seen.id, board_version[1:])
    if ranked is None:
        return None
    return ([], 0, "database") if empty else (*sql_board.page_of(ranked.rows, unit_id, offset, limit), "database")


def _page(session: Session, viewer: Any, seen: Seen, query: Any, board_version: str | None, now: datetime) -> _Page:
    pages = _local("pages")
    key = (seen.round_ids, seen.signature, board_version, seen.restrict_path, query.area, query.school, query.klass,
           query.offset, query.limit)
    if board_version is not None:
        found = _recall(pages, key)
        if found is not None:
            return found
    filters = resolve_filters(session, seen.view or _Unrestricted(), query.area, query.school, query.klass)
    unit_id = filters.unit.id if filters.unit is not None else None
    kept = _kept_rows(seen, board_version, unit_id, query.offset, query.limit, filters.empty)
    if kept is None:  # not built in Redis yet, or not decoded here: the ordinary read (rebuilds if needed)
        read = board_reader.read(session, _orm_view(session, viewer, seen, now).board, unit_id=unit_id,
                                 offset=query.offset, limit=query.limit, empty=filters.empty)
        kept = (read.rows, read.total, read.source)
    rows, total, source = kept
    page = _Page(rows, total, _persons(session, [r.user_id for r in rows]), source)
    if board_version is not None:
        _remember(pages, key, page, PAGE_SECONDS, LOCAL_ENTRIES["pages"])
    return page


def _me(session: Session, viewer: Any, seen: Seen, board_version: str | None, now: datetime) -> Row | None:
    if seen.me_id is None:
        return None
    if board_version is not None and board_version.startswith("g"):
        store = board_reader.board_store()
        if store is not None:
            try:
                return redis_board.find(store, _Ref(seen), seen.me_id)
            except (CacheUnavailable, redis_board.NotReady, ValueError):
                pass
    elif board_version is not None:
        ranked = sql_board.kept(seen.kind, seen.id, board_version[1:])
        if ranked is not None:
            return ranked.by_user.get(seen.me_id)
    view = _orm_view(session, viewer, seen, now)
    return board_reader.read(session, view.board, me_id=seen.me_id, empty=True).me


def body(session: Session, viewer: Any, seen: Seen, query: Any, board_version: str | None,
         now: datetime) -> tuple[dict[str, Any], str]:
    """The JSON of the board for this viewer (exactly ``payload.board_payload``'s) and the source that answered."""
    page = _page(session, viewer, seen, query, board_version, now)
    me = _me(session, viewer, seen, board_version, now)
    persons = page.persons
    if me is not None and me.user_id not in persons:
        persons = {**persons, **_persons(session, [me.user_id])}
    return {
        "entries": [entry(r, persons.get(r.user_id), seen) for r in page.rows],
        "me": entry(me, persons.get(me.user_id), seen) if me is not None else None,
        "total": page.total,
        "frozen": seen.frozen_at is not None,
        "shows_distance": seen.shows_distance,
    }, page.source


# -- the answer --------------------------------------------------------------------------------------------------
@dataclass
class Answer:
    etag: str
    payload: dict[str, Any] | None  # None: 304 Not Modified
    source: str


def _unquoted(tags: Iterable[str | None]) -> list[tuple[str, str]]:
    """The (version tag, body hash) pairs of the client's ETags; anything else is no tag of ours (Werkzeug reads
    an empty ``""`` as None)."""
    out = []
    for tag in tags:
        if not isinstance(tag, str):
            continue
        head, dot, tail = tag.partition(".")
        if dot:
            out.append((head, tail))
    return out


def answer(session: Session, viewer: Any, kind: str, board_id: int, query: Any, now: datetime,
           if_none_match: Iterable[str | None]) -> Answer:
    """The polled JSON: 304 from the version tag alone when it matches, else the body (still 304 when its hash
    is the client's)."""
    seen = seen_for(session, viewer, kind, board_id, now)
    board_version, source = version(session, seen)
    tag = version_tag(seen, query, board_version, now)
    known = _unquoted(if_none_match)
    if tag != "n":
        for head, tail in known:
            if head == tag:
                return Answer(f"{head}.{tail}", None, source)
    payload, source = body(session, viewer, seen, query, board_version, now)
    digest = etag_of(payload)
    etag = f"{tag}.{digest}"
    if any(tail == digest for _, tail in known):
        return Answer(etag, None, source)
    return Answer(etag, payload, source)
