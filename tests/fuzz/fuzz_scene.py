"""A realistic scene for the API fuzzer, built with the suite's factories: a school, its class, students, a
teacher, a school manager and the Department admin (``world``); a contest whose round is open with started
attempts, and a closed round with finished attempts on a public board, its results published and certificates
issued."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import timedelta

from quiz.attempts import service
from quiz.models import ReviewPolicy

ROLES = ("anonymous", "student", "teacher", "manager", "admin")
_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


@dataclass
class Login:
    cookie: str | None  # the signed session cookie (a visitor has one too: it carries the CSRF token)
    csrf: str


@dataclass
class Scene:
    app: object
    ids: dict[str, list[int]] = field(default_factory=dict)  # path and query parameter → ids that exist
    own: dict[str, list[int]] = field(default_factory=dict)  # the same, of the logged-in student's
    options: dict[int, list[int]] = field(default_factory=dict)  # question id → its option ids
    logins: dict[str, Login] = field(default_factory=dict)


def build(app, db_session, world, make_question, make_round, clock) -> Scene:
    """Closed round first (its clock four hours back), then the open one at the clock's time."""
    start = clock.now
    questions = [make_question(), make_question(type="multiple", correct=(0, 2)), make_question(type="true_false")]
    clock.set(start - timedelta(hours=4))
    closed = make_round(questions, review_policy=ReviewPolicy.AFTER_CLOSE, title="Cuộc thi đã kết thúc",
                        prediction_question="Có bao nhiêu bạn đúng hết?")
    closed.contest.leaderboard_public = True
    closed.prediction_answer = 3
    db_session.flush()
    students = [world.student1, world.student1b, world.student2, world.student2b]
    finished = []
    for k, student in enumerate(students):
        attempt = service.start_or_resume(db_session, student, closed.id, clock.now)
        for item in attempt.paper[: k + 1]:
            service.save_answer(db_session, _identity(student), attempt.id, item.question_id,
                                item.option_order[:1], 1, clock.now)
        clock.advance(minutes=3)
        service.finish(db_session, attempt, clock.now, by="student")
        finished.append(attempt.id)
    clock.set(start)
    closed.results_published_at = start - timedelta(minutes=30)
    _certificates(db_session, world, closed, start)
    opened = make_round(questions, review_policy=ReviewPolicy.AFTER_SUBMIT, title="Cuộc thi đang diễn ra",
                        prediction_question="Theo em, có bao nhiêu bạn đúng hết?")
    running = [service.start_or_resume(db_session, s, opened.id, clock.now) for s in students[:3]]
    db_session.commit()

    scene = Scene(app)
    scene.ids["attempt_id"] = [a.id for a in running] + finished
    scene.ids["round_id"] = [closed.id, opened.id]
    scene.ids["contest_id"] = [closed.contest_id, opened.contest_id]
    scene.own["attempt_id"] = [running[0].id, finished[0]]
    scene.ids["question_id"] = [q.id for q in questions]
    scene.ids["area"] = [world.area.id]
    scene.ids["school"] = [world.school1.id, world.school2.id]
    scene.ids["class"] = [world.class1.id, world.class2.id]
    scene.options = {item.question_id: list(item.option_order) for item in running[0].paper}
    users = {"anonymous": None, "student": world.student1, "teacher": world.teacher1, "manager": world.manager1,
             "admin": world.admin}
    scene.logins = {role: _login(app, user) for role, user in users.items()}
    return scene


def _certificates(db_session, world, rnd, now) -> None:
    """A first prize and a completion certificate for every participant (as the organiser would issue them)."""
    from decimal import Decimal

    from quiz.certificates import issuing, rules
    from quiz.models import AwardKind, DocumentKind

    for kind, title, document, extra in ((AwardKind.RANK, "Giải Nhất", DocumentKind.COMMENDATION, {"count": 1, "min_score": Decimal(1)}),
                                         (AwardKind.COMPLETION, "Hoàn thành bài thi", DocumentKind.CERTIFICATE,
                                          {"min_score": Decimal(1)})):
        rules.add_rule(db_session, world.admin, rnd.contest, rules.RuleInput(kind, title, document, rnd.id, **extra),
                       now)
    issuing.issue(db_session, world.admin, rnd.contest, rnd, now)


def _identity(user):
    from quiz.auth.identity import Identity

    return Identity(user.id, user.session_token)


def _login(app, user) -> Login:
    """A session as the browser has it after logging in and loading a page: its cookie and the page's token."""
    client = app.test_client()
    with app.app_context():  # a context of its own, as a real request has: nothing kept in ``g`` from others
        if user is not None:
            with client.session_transaction() as sess:
                sess["_user_id"] = user.get_id()
                sess["_fresh"] = True
        page = client.get("/")  # the page after logging in: its session gets the CSRF token the page shows
    token = _META.search(page.get_data(as_text=True))
    assert page.status_code == 200 and token, "the home page carries the CSRF token"
    cookie = client.get_cookie("session")
    return Login(cookie.value if cookie else None, token.group(1))
