"""The API fuzzer: schemathesis generates requests from quiz/main/openapi.json — valid ones and invalid ones (wrong
types, out-of-range numbers, unknown fields, odd strings, its deterministic boundary cases) — and sends them
in-process (WSGI) to the app, each as one of the roles (a visitor, a student, a teacher, a school manager, the
admin) with the cookie and CSRF token of that role's session, on a realistic scene (``fuzz_scene.py``). Every answer
must be below 500 and have a status, a content type and a body that the description names for that route.

Bounded: ``FUZZ_EXAMPLES`` generated cases per operation (default 40, the role drawn for each; the boundary cases
go round the roles): about 75 s on SQLite and 2 min on PostgreSQL + Redis on two busy cores (20 s and 40 s on quiet ones); operations not begun
within ``FUZZ_BUDGET_SECONDS`` (default 480) are skipped, and say so. ``FUZZ_SEED`` changes the (otherwise fixed)
generation, so that CI is repeatable and a run elsewhere can explore more: ``make fuzz FUZZ_EXAMPLES=500
FUZZ_SEED=7``."""
from __future__ import annotations

import itertools
import os
import time

import pytest

schemathesis = pytest.importorskip("schemathesis", reason="the fuzz extra: pip install -e '.[fuzz]'")

from hypothesis import HealthCheck, seed, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.specs.openapi.checks import (content_type_conformance, response_schema_conformance,  # noqa: E402
                                               status_code_conformance)

from fuzz_scene import ROLES, Scene, build  # noqa: E402
from quiz.main.routes import OPENAPI  # noqa: E402

pytestmark = pytest.mark.fuzz

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "40"))
SEED = int(os.environ.get("FUZZ_SEED", "20261120"))
BUDGET = float(os.environ.get("FUZZ_BUDGET_SECONDS", "480"))  # the total cap: operations not begun by then are skipped
_started = time.monotonic()
ROLE = "X-Fuzz-Role"  # carries the drawn role from the strategy to the test; never sent

schema = schemathesis.openapi.from_path(OPENAPI)
_current: dict[str, Scene] = {}
_rotation = itertools.cycle(ROLES)


@pytest.fixture
def scene(app, db_session, world, make_question, make_round, clock):
    if time.monotonic() - _started > BUDGET:
        pytest.skip(f"over the fuzz's time budget (FUZZ_BUDGET_SECONDS={BUDGET:.0f})")
    _current["scene"] = build(app, db_session, world, make_question, make_round, clock)
    yield _current["scene"]
    _current.clear()


@st.composite
def _aimed(draw, case):
    """A role for the case (the student, whom most routes serve, more often) and, three times in four, ids of the
    scene instead of generated ones — often the student's own — so that the fuzzer reaches the code behind the
    lookups (a real attempt, its questions and options), not only the 404s."""
    scene = _current["scene"]
    role = draw(st.sampled_from(ROLES + ("student", "student")), label="role")
    case.headers = {**(case.headers or {}), ROLE: role}
    for container in (case.path_parameters, case.query):
        for name in list(container or {}):
            if name in scene.ids and draw(st.sampled_from((True, True, True, False)), label=f"real {name}"):
                mine = scene.own.get(name) if role == "student" else None
                pool = st.sampled_from(mine) | st.sampled_from(scene.ids[name]) if mine else st.sampled_from(scene.ids[name])
                container[name] = draw(pool, label=name)
    question = (case.path_parameters or {}).get("question_id")
    if question in scene.options and isinstance(case.body, dict) and "options" in case.body:
        if draw(st.sampled_from((True, True, True, False)), label="real options"):
            case.body["options"] = draw(st.lists(st.sampled_from(scene.options[question]), unique=True, max_size=3),
                                        label="options")
    return case


def _aim_boundary(case, role: str, scene: Scene) -> None:
    """Schemathesis fills the paths of its boundary cases with 0; the student's own attempt and a question of it
    instead, so that the boundaries of bodies and queries meet the code behind the lookups too."""
    for name, value in list((case.path_parameters or {}).items()):
        if str(value) == "0" and name in scene.ids:
            pool = (scene.own.get(name) if role == "student" else None) or scene.ids[name]
            case.path_parameters[name] = pool[0]


@schema.hook
def before_generate_case(context, strategy):
    return strategy.flatmap(_aimed)


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, database=None, print_blob=True,
          suppress_health_check=list(HealthCheck))
@seed(SEED)
def test_every_answer_of_the_api_is_described_and_none_is_a_server_error(case, scene):
    headers = dict(case.headers or {})
    role = headers.pop(ROLE, None)
    case.headers = headers
    if role is None:  # a boundary case (no strategy): the roles in turn, on the scene's objects
        role = next(_rotation)
        _aim_boundary(case, role, scene)
    login = scene.logins[role]
    with scene.app.app_context():  # each request in a context of its own, as in production (``g`` is not shared)
        response = case.call(app=scene.app, cookies={"session": login.cookie} if login.cookie else None,
                             headers={"X-CSRFToken": login.csrf})
    case.validate_response(response, checks=CHECKS)
