"""What the report pages, the JSON and the workbook show, assembled from the services and kept in the
cache (``quiz.cache``: Redis, or the in-process store) until the round's results change.

Cache keys carry the round, the viewer's scope and a *fingerprint* of the finished attempts (how many,
the latest submission, the highest id: one index-only query). A new or reopened submission changes
the fingerprint, so closed rounds are computed once and answered from the cache afterwards. While a
round is open the figures are recomputed at most once a minute per scope. Entries expire anyway
(``OVERVIEW_TTL``, ``ITEMS_TTL``) so an edited enrolment shows up.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from datetime import datetime, timedelta
from typing import Any, Callable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from quiz.extensions import cache
from quiz.models import Attempt
from quiz.reports import distribution, items, participation, stored
from quiz.reports.population import counted_attempts
from quiz.reports.scope import Scope, whole_round
from quiz.reports.sql import tune

OVERVIEW_TTL = 600
ITEMS_TTL = 86400
OPEN_ROUND_SECONDS = 60
SETTLING = timedelta(minutes=5)  # late saves (network grace) and finishing overdue attempts after the close


def fingerprint(session: Session, scope: Scope, now: datetime) -> str:
    rnd = scope.rnd
    if now < rnd.closes_at + SETTLING:
        return f"open-{int(now.timestamp()) // OPEN_ROUND_SECONDS}"
    n, last, top = session.execute(select(func.count(), func.max(Attempt.submitted_at), func.max(Attempt.id))
                                   .where(Attempt.round_id == rnd.id, Attempt.submitted_at.is_not(None))).one()
    contest = rnd.contest
    settings = (rnd.prediction_answer, contest.scoring_rule.value, tuple(contest.grades or ()),
                tuple(sorted(cu.unit_id for cu in contest.units)), rnd.question_count, contest.points_per_question)
    digest = hashlib.sha1(repr(settings).encode()).hexdigest()[:10]
    return f"{n}-{last.isoformat() if last else ''}-{top}-{digest}"


def _cached(kind: str, scope: Scope, fp: str, ttl: int, compute: Callable[[], Any]) -> Any:
    key = f"reports:{kind}:{scope.rnd.id}:{scope.key}:{fp}"
    raw = cache.get(key)
    if raw is not None:
        try:
            return json.loads(raw)
        except (TypeError, ValueError):
            pass
    value = compute()
    cache.set(key, json.dumps(value, default=str), ttl)
    return value


# -- overview ------------------------------------------------------------------------------
def overview(session: Session, scope: Scope, now: datetime) -> dict[str, Any]:
    return _hydrate(_cached("overview", scope, fingerprint(session, scope, now), OVERVIEW_TTL,
                            lambda: _overview(session, scope, now)))


def _overview(session: Session, scope: Scope, now: datetime) -> dict[str, Any]:
    tune(session)
    counted = counted_attempts(scope)
    part = participation.participation(session, scope, counted)
    # scores only: without the students' classes when the scope keeps everyone (one join less); the top
    # students are cut from these too and only the ten best are joined with students and classes
    scores = counted_attempts(scope, units=False, name="scores")
    dist = distribution.distribution(session, scope, scores)
    return {
        "participants": part.participants, "enrolled": part.enrolled, "rate": part.rate,
        "by_area": [_group(g) for g in part.by_area],
        "by_school": [_group(g) for g in part.by_school],
        "by_class": [_group(g) for g in part.by_class],
        "distribution": {"max_score": dist.max_score, "participants": dist.participants, "mean": dist.mean,
                         "median": dist.median, "minimum": dist.minimum, "maximum": dist.maximum,
                         "bins": [b.as_json() for b in dist.bins]},
        "completion": [{"start": p.start.isoformat(), "end": p.end.isoformat(), "completed": p.completed,
                        "cumulative": p.cumulative} for p in participation.completion(session, scope)],
        "top": [{**asdict(t), "submitted_at": t.submitted_at.isoformat()}
                for t in participation.top_students(session, scope, scores)],
        "computed_at": now.isoformat(),
    }


def _group(g: participation.Group) -> dict[str, Any]:
    return {"id": g.id, "name": g.name, "parent": g.parent, "participants": g.participants, "enrolled": g.enrolled,
            "rate": g.rate, "mean_score": g.mean_score}


def _hydrate(data: dict[str, Any]) -> dict[str, Any]:
    data = dict(data)
    data["completion"] = [{**p, "start": datetime.fromisoformat(p["start"]), "end": datetime.fromisoformat(p["end"])}
                          for p in data["completion"]]
    data["top"] = [{**t, "submitted_at": datetime.fromisoformat(t["submitted_at"])} for t in data["top"]]
    data["computed_at"] = datetime.fromisoformat(data["computed_at"])
    return data


# -- item analysis -------------------------------------------------------------------------------
def item_stats(session: Session, scope: Scope, now: datetime, min_answers: int | None = None) -> list[dict]:
    """The item analysis as plain dicts (``ItemStat`` fields plus ``flag``/``bank_url``); empty while the
    viewer may not see it yet (see ``Scope.analysis_visible``)."""
    if not scope.analysis_visible(now):
        return []
    min_answers = items.MIN_ANSWERS if min_answers is None else min_answers

    fp = fingerprint(session, scope, now)

    def compute() -> list[dict]:
        tune(session)
        return [{**asdict(i), "flag": i.flag, "bank_url": i.bank_url}
                for i in items.item_analysis(session, scope, min_answers=min_answers, use_stored=True)]

    return _cached(f"items{min_answers}", scope, fp, ITEMS_TTL, compute)


def prepare_round(session: Session, rnd, now: datetime) -> stored.Refresh:
    """Bring the whole round's stored item sums (``quiz.reports.stored``) up to date so that no report viewer
    waits for them: the round's publication and ``flask reports refresh``. Flushes, never commits."""
    tune(session)
    return stored.refresh(session, whole_round(session, rnd), now)


def api_payload(data: dict[str, Any], stats: list[dict]) -> dict[str, Any]:
    """``GET /api/rounds/<id>/report``."""
    return {
        "participants": data["participants"],
        "enrolled": data["enrolled"],
        "rate": data["rate"],
        "mean_score": data["distribution"]["mean"],
        "median_score": data["distribution"]["median"],
        "max_score": data["distribution"]["max_score"],
        "by_school": [{"school": g["name"], "school_id": g["id"], "area": g["parent"], "participants": g["participants"],
                       "enrolled": g["enrolled"], "rate": g["rate"], "mean_score": g["mean_score"]}
                      for g in data["by_school"]],
        "histogram": data["distribution"]["bins"],
        "items": [{"question_id": i["question_id"], "revision_id": i["revision_id"], "facility": i["facility"],
                   "discrimination": i["discrimination"], "answers": i["answers"], "flag": i["flag"],
                   "flags": i["flags"]} for i in stats],
    }
