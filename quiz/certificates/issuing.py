"""Preview and issue a round's (or a contest's) certificates, after its results are published.

The preview computes every award and shows who gets what, marking what is already issued, and says
how many attempts are still unfinished (they are scored at publication and can change the list).
Issuing first scores what is left unfinished in the closed rounds, computes the final list and
compares its ``fingerprint`` with the one of the list the organiser saw: if they differ nothing is
issued (``ListChanged``) and the page shows the final list for a new confirmation. It creates only
the missing certificates (each award's ``issue_key`` is unique), so running it again changes nothing.
"""
from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from quiz import audit
from quiz.attempts.service import finish
from quiz.certificates import awards as award_rules
from quiz.certificates.rules import document_for, rules_of
from quiz.certificates.serials import new_serials
from quiz.errors import Conflict
from quiz.leaderboards.results import contest_results, round_results
from quiz.leaderboards.units import unit_enrolment
from quiz.models import (Attempt, AwardRule, Certificate, CertificateStatus, Contest, ContestScope, ContestStatus, Role, Round,
                         Unit, UnitKind, User)

CHUNK = 900  # ids per IN (…) query


@dataclass
class Entry:
    """One award as it will be (or was) printed."""

    rule: AwardRule
    award: award_rules.Award
    full_name: str
    date_of_birth: date | None
    class_name: str
    school_name: str
    school_id: int | None
    class_id: int | None
    existing: Certificate | None = None

    @property
    def issued(self) -> bool:
        return self.existing is not None


@dataclass
class Plan:
    contest: Contest
    round: Round | None
    rules: list[AwardRule]
    participants: int
    published: bool
    entries: list[Entry] = field(default_factory=list)
    unfinished: int = 0  # attempts not finished yet: scored at publication (or at issue), they can change the list

    @property
    def to_issue(self) -> list[Entry]:
        return [e for e in self.entries if not e.issued]

    @property
    def fingerprint(self) -> str:
        """A short digest of what would be issued (award, recipient, rank, score): the confirmation's token."""
        rows = sorted(f"{e.award.issue_key}|{e.award.rank}|{e.award.score}|{e.full_name}" for e in self.to_issue)
        return hashlib.sha256("\n".join(rows).encode()).hexdigest()[:20]

    def counts(self) -> list[tuple[AwardRule, int]]:
        by_rule = Counter(e.rule.id for e in self.entries)
        return [(rule, by_rule.get(rule.id, 0)) for rule in self.rules]


def results_published(contest: Contest, rnd: Round | None) -> bool:
    if contest.status is ContestStatus.PUBLISHED:
        return True
    if rnd is not None:
        return rnd.results_published_at is not None
    return bool(contest.rounds) and all(r.results_published_at is not None for r in contest.rounds)


def _rounds(contest: Contest, rnd: Round | None) -> list[Round]:
    return [rnd] if rnd is not None else list(contest.rounds)


def unfinished_attempts(session: Session, contest: Contest, rnd: Round | None) -> int:
    """How many attempts of the round (or contest) are started but not finished."""
    ids = [r.id for r in _rounds(contest, rnd)]
    if not ids:
        return 0
    return session.scalar(select(func.count(Attempt.id)).where(Attempt.round_id.in_(ids),
                                                               Attempt.submitted_at.is_(None))) or 0


def finish_left_over(session: Session, contest: Contest, rnd: Round | None, now: datetime) -> int:
    """Score the unfinished attempts of the closed rounds (as publishing does), before the final list."""
    ids = [r.id for r in _rounds(contest, rnd) if r.closes_at <= now]
    if not ids:
        return 0
    left = session.scalars(select(Attempt).where(Attempt.round_id.in_(ids), Attempt.submitted_at.is_(None))
                           .order_by(Attempt.id)).all()
    for attempt in left:
        finish(session, attempt, now, by="deadline")
    session.flush()
    return len(left)


def _chunks(ids: list[int]):
    for i in range(0, len(ids), CHUNK):
        yield ids[i:i + CHUNK]


def _students(session: Session, user_ids: list[int]) -> tuple[dict[int, User], dict[int, Unit]]:
    users: dict[int, User] = {}
    for chunk in _chunks(user_ids):
        users.update((u.id, u) for u in session.scalars(select(User).where(User.id.in_(chunk))))
    school_ids = sorted({u.unit.parent_id for u in users.values() if u.unit.parent_id})
    schools: dict[int, Unit] = {}
    for chunk in _chunks(school_ids):
        schools.update((s.id, s) for s in session.scalars(select(Unit).where(Unit.id.in_(chunk))))
    return users, schools


def _candidate_schools(session: Session, contest: Contest) -> list[Unit]:
    listed = [cu.unit for cu in contest.units if cu.unit.kind is UnitKind.SCHOOL]
    if listed:
        return listed
    if contest.scope is ContestScope.PROVINCE:
        return list(session.scalars(select(Unit).where(Unit.kind == UnitKind.SCHOOL,
                                                       Unit.path.startswith(contest.organiser_unit.path))))
    organiser = contest.organiser_unit
    return [organiser] if organiser.kind is UnitKind.SCHOOL else []


def _turnout(session: Session, contest: Contest, users: dict[int, User], schools: list[Unit]) -> list[award_rules.SchoolTurnout]:
    taking = Counter(u.unit.parent_id for u in users.values())
    enrolled = unit_enrolment(session, contest, schools)  # the sĩ số the unit ranking and the report show
    return [award_rules.SchoolTurnout(school.id, taking.get(school.id, 0), enrolled[school.id]) for school in schools]


def plan(session: Session, contest: Contest, rnd: Round | None) -> Plan:
    """Who gets what for this round (``rnd``) or the whole contest (``rnd`` None). Changes nothing."""
    rules = rules_of(session, contest, rnd)
    results = round_results(session, rnd) if rnd is not None else contest_results(session, contest)
    result = Plan(contest, rnd, rules, len(results), results_published(contest, rnd),
                  unfinished=unfinished_attempts(session, contest, rnd))
    if not rules:
        return result
    users, schools = _students(session, [r.user_id for r in results])
    candidate_schools = _candidate_schools(session, contest) if any(
        r.kind.value == "unit" for r in rules) else []
    turnout = _turnout(session, contest, users, candidate_schools) if candidate_schools else []
    rules_by_id = {r.id: r for r in rules}
    unit_names = {s.id: s for s in candidate_schools}
    existing = _existing(session, rules)
    for award in award_rules.compute(rules, results, turnout):
        if award.user_id is not None:
            user = users[award.user_id]
            school = schools.get(user.unit.parent_id)
            entry = Entry(rules_by_id[award.rule_id], award, user.full_name, user.date_of_birth, user.unit.name,
                          school.name if school else "", school.id if school else None, user.unit_id)
        else:
            school = unit_names[award.school_id]
            entry = Entry(rules_by_id[award.rule_id], award, school.name, None, "", school.name, school.id, None)
        entry.existing = existing.get(award.issue_key)
        result.entries.append(entry)
    return result


def _existing(session: Session, rules: list[AwardRule]) -> dict[str, Certificate]:
    stmt = select(Certificate).where(Certificate.rule_id.in_([r.id for r in rules]), Certificate.issue_key.is_not(None))
    return {c.issue_key: c for c in session.scalars(stmt)}


@dataclass
class Outcome:
    issued: int
    already: int


class ListChanged(Conflict):
    """The final list differs from the one the organiser confirmed: nothing was issued."""

    def __init__(self, final: Plan, scored: int):
        super().__init__("the list of certificates changed")
        self.plan, self.scored = final, scored


def issue(session: Session, actor: User, contest: Contest, rnd: Round | None, now: datetime,
          ip: str | None = None, *, confirmed: str | None = None) -> Outcome:
    """Create the certificates the plan lists and that do not exist yet. Only after results are published.

    ``confirmed`` is the fingerprint of the list the organiser saw; when the final list (after scoring what
    was left unfinished) differs, nothing is issued and ``ListChanged`` carries the final list (unless nothing is
    left to issue: a second click changes nothing either way). ``None``
    (the command line, the demo) issues the final list without a confirmation."""
    if not results_published(contest, rnd):
        raise Conflict("results not published")
    scored = finish_left_over(session, contest, rnd, now)
    the_plan = plan(session, contest, rnd)
    if confirmed is not None and confirmed != the_plan.fingerprint and the_plan.to_issue:
        raise ListChanged(the_plan, scored)
    todo = the_plan.to_issue
    serials = iter(new_serials(session, len(todo), now.year))
    for n, entry in enumerate(todo, start=1):
        award = entry.award
        session.add(Certificate(
            serial=next(serials), issue_key=award.issue_key, contest_id=contest.id, round_id=rnd.id if rnd else None,
            rule_id=entry.rule.id, recipient_id=award.user_id, recipient_unit_id=award.school_id,
            school_id=entry.school_id, class_id=entry.class_id, full_name=entry.full_name,
            date_of_birth=entry.date_of_birth, class_name=entry.class_name, school_name=entry.school_name,
            contest_title=contest.title, round_title=rnd.title if rnd else "", award=entry.rule.name,
            document=document_for(contest, entry.rule.document), rank=award.rank, score=award.score, issued_at=now, issued_by_id=actor.id,
            status=CertificateStatus.VALID))
        if n % 1000 == 0:
            session.flush()
    session.flush()
    outcome = Outcome(issued=len(todo), already=len(the_plan.entries) - len(todo))
    if todo:
        where = f"{contest.title} – {rnd.title}" if rnd else contest.title
        audit.record(session, actor, "certificates.issue", f"{outcome.issued} certificates issued for {where}",
                     target=rnd or contest, ip=ip, details={"issued": outcome.issued, "already": outcome.already})
    return outcome
