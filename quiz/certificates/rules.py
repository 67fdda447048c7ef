"""Award rules of a round or of a whole contest: add, remove, the usual set."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from quiz import audit
from quiz.errors import Conflict, NotFound, ValidationFailed
from quiz.models import AwardKind, AwardRule, Certificate, Contest, ContestScope, DocumentKind, Round, User

# The usual set: (name, places, percent of participants, minimum score as a percentage of the maximum).
# Every prize needs a minimum score, so a pupil who answered nothing never wins one, however few took part.
USUAL_PRIZES = (("Giải Nhất", 1, None, 90), ("Giải Nhì", 2, None, 80), ("Giải Ba", 3, None, 70),
                ("Giải Khuyến khích", None, Decimal(10), 50))
USUAL_COMPLETION_PERCENT = 50


@dataclass
class RuleInput:
    kind: AwardKind
    name: str
    document: DocumentKind
    round_id: int | None = None
    count: int | None = None
    percent: Decimal | None = None
    min_score: Decimal | None = None


def may_commend(contest: Contest) -> bool:
    """Who may issue a GIẤY KHEN (commendation): the Department for its contests, a school for its own.

    A teacher's class contest issues GIẤY CHỨNG NHẬN (certificates) only."""
    return contest.scope is not ContestScope.CLASS


def document_for(contest: Contest, document: DocumentKind) -> DocumentKind:
    """The document a rule may print in this contest (a stored class-contest commendation prints a certificate)."""
    return document if may_commend(contest) else DocumentKind.CERTIFICATE


def documents_for(contest: Contest) -> list[DocumentKind]:
    """The documents the rule form offers for this contest."""
    return [DocumentKind.CERTIFICATE, DocumentKind.COMMENDATION] if may_commend(contest) else [DocumentKind.CERTIFICATE]


def rules_of(session: Session, contest: Contest, rnd: Round | None) -> list[AwardRule]:
    stmt = select(AwardRule).where(AwardRule.contest_id == contest.id)
    stmt = stmt.where(AwardRule.round_id == rnd.id) if rnd is not None else stmt.where(AwardRule.round_id.is_(None))
    return list(session.scalars(stmt.order_by(AwardRule.position, AwardRule.id)))


def round_of(contest: Contest, round_id: int | None) -> Round | None:
    if round_id is None:
        return None
    for rnd in contest.rounds:
        if rnd.id == round_id:
            return rnd
    raise NotFound("round not found")


def _decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return Decimal(-1)


def _validate(contest: Contest, data: RuleInput) -> RuleInput:
    errors: dict[str, list[str]] = {}
    if data.document not in documents_for(contest):
        errors["document"] = ["commendation_not_allowed"]
    data.name = " ".join((data.name or "").split())
    data.percent, data.min_score = _decimal(data.percent), _decimal(data.min_score)
    if not data.name:
        errors["name"] = ["required"]
    if data.kind is AwardKind.RANK:
        if (data.count is None) == (data.percent is None):
            errors["count"] = ["count_or_percent"]
        elif data.count is not None and data.count < 1:
            errors["count"] = ["positive"]
        elif data.percent is not None and not (0 < data.percent <= 100):
            errors["percent"] = ["percent_range"]
        if data.min_score is None or data.min_score <= 0:
            errors["min_score"] = ["min_score_positive"]
    elif data.kind is AwardKind.COMPLETION:
        data.count, data.percent = None, None
        if data.min_score is None or data.min_score <= 0:
            errors["min_score"] = ["min_score_positive"]
    else:
        data.percent, data.min_score = None, None
        data.count = data.count or 1
        if data.count < 1:
            errors["count"] = ["positive"]
    if errors:
        raise ValidationFailed("invalid award rule", errors)
    return data


def add_rule(session: Session, actor: User, contest: Contest, data: RuleInput, now: datetime,
             ip: str | None = None) -> AwardRule:
    rnd = round_of(contest, data.round_id)
    data = _validate(contest, data)
    position = (session.scalar(select(func.max(AwardRule.position)).where(AwardRule.contest_id == contest.id)) or 0) + 1
    rule = AwardRule(contest_id=contest.id, round_id=rnd.id if rnd else None, kind=data.kind, name=data.name,
                     document=data.document, position=position, count=data.count, percent=data.percent,
                     min_score=data.min_score, created_at=now)
    session.add(rule)
    session.flush()
    where = rnd.title if rnd else contest.title
    audit.record(session, actor, "certificates.rule_add", f"Award «{rule.name}» for {where}", target=rule, ip=ip,
                 details={"kind": rule.kind.value, "count": rule.count,
                          "percent": str(rule.percent) if rule.percent is not None else None,
                          "min_score": str(rule.min_score) if rule.min_score is not None else None})
    return rule


def maximum_score(contest: Contest, rnd: Round | None) -> Decimal:
    """The most points a pupil can score in the round (or the whole contest)."""
    rounds = [rnd] if rnd else contest.rounds
    return Decimal(sum(r.question_count for r in rounds) * contest.points_per_question)


def _share(top: Decimal, percent: int) -> Decimal:
    return max((top * percent / 100).quantize(Decimal("0.01")), Decimal("0.01"))


def add_usual_rules(session: Session, actor: User, contest: Contest, rnd: Round | None, now: datetime,
                    ip: str | None = None) -> list[AwardRule]:
    """Giải Nhất (1 place, ≥ 90 % of the points), Nhì (2, ≥ 80 %), Ba (3, ≥ 70 %), Khuyến khích (10 %, ≥ 50 %)
    and a completion certificate from half the points. A class contest gets certificates only."""
    round_id = rnd.id if rnd else None
    top = maximum_score(contest, rnd)
    prize_document = DocumentKind.COMMENDATION if may_commend(contest) else DocumentKind.CERTIFICATE
    made = [add_rule(session, actor, contest, RuleInput(AwardKind.RANK, name, prize_document, round_id,
                                                        count, percent, _share(top, least)), now, ip)
            for name, count, percent, least in USUAL_PRIZES]
    made.append(add_rule(session, actor, contest, RuleInput(AwardKind.COMPLETION, "Hoàn thành cuộc thi",
                                                            DocumentKind.CERTIFICATE, round_id,
                                                            min_score=_share(top, USUAL_COMPLETION_PERCENT)), now, ip))
    return made


def delete_rule(session: Session, actor: User, contest: Contest, rule_id: int, ip: str | None = None) -> None:
    rule = session.get(AwardRule, rule_id)
    if rule is None or rule.contest_id != contest.id:
        raise NotFound("rule not found")
    if session.scalar(select(Certificate.id).where(Certificate.rule_id == rule.id).limit(1)) is not None:
        raise Conflict("certificates were issued for this award")
    audit.record(session, actor, "certificates.rule_delete", f"Award «{rule.name}» removed", target=rule, ip=ip)
    session.delete(rule)
    session.flush()
