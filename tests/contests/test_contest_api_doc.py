"""docs/api.md stays true: every JSON example in it has the shape (keys and JSON types) of the real response,
and the documented status codes, grace and limits are what the API does."""
import json
import re
from pathlib import Path

import pytest

from quiz.models import ReviewPolicy

DOC = Path(__file__).resolve().parents[2] / "docs" / "api.md"


def examples() -> dict[str, object]:
    text = DOC.read_text(encoding="utf-8")
    found = re.findall(r"<!-- example: ([\w-]+) -->\s*```json\n(.*?)```", text, flags=re.S)
    return {name: json.loads(body) for name, body in found}


def same_shape(doc, real, where="$") -> list[str]:
    """Differences between the documented example and the real response (keys and JSON types)."""
    if doc is None or real is None:
        return []  # nullable values: either may be null
    if isinstance(doc, dict):
        if not isinstance(real, dict):
            return [f"{where}: object documented, {type(real).__name__} returned"]
        if doc and all(k.isdigit() for k in doc):  # a map keyed by ids (answers)
            return [d for k in list(doc)[:1] for v in list(real.values())[:1] for d in same_shape(doc[k], v, where + "[id]")]
        problems = [f"{where}: keys differ: documented {sorted(doc)} returned {sorted(real)}"] if set(doc) != set(real) else []
        return problems + [d for k in doc if k in real for d in same_shape(doc[k], real[k], f"{where}.{k}")]
    if isinstance(doc, list):
        if not isinstance(real, list):
            return [f"{where}: array documented"]
        if doc and not real:
            return [f"{where}: empty array returned"]
        return [d for item in doc for d in same_shape(item, real[0], where + "[]")]
    kinds = (bool, int, float, str)
    doc_kind = next(k for k in kinds if isinstance(doc, k))
    real_kind = next((k for k in kinds if isinstance(real, k)), type(real))
    return [] if doc_kind is real_kind else [f"{where}: {doc_kind.__name__} documented, {real_kind.__name__} returned"]


def test_the_doc_has_an_example_for_every_response_it_describes():
    assert set(examples()) == {"time", "rounds", "start", "finished", "save", "save-stale", "save-closed",
                               "save-bad", "submit", "prediction", "event", "review", "review-early"}


def test_every_documented_example_has_the_shape_of_the_real_response(client, login_as, world, make_question,
                                                                     make_round, db_session, clock):
    rnd = make_round([make_question(), make_question(type="multiple", correct=(0, 1))],
                     prediction_question="Có bao nhiêu bạn đúng hết?", review_policy=ReviewPolicy.AFTER_CLOSE)
    db_session.commit()
    real = {"time": client.get("/api/time")}
    login_as(world.student1)
    real["rounds"] = client.get("/api/rounds?status=open")
    first = client.post(f"/api/rounds/{rnd.id}/attempt").get_json()
    aid, q = first["attempt_id"], first["questions"][0]
    url = f"/api/attempts/{aid}"
    real["save"] = client.put(f"{url}/answers/{q['id']}", json={"options": [q["options"][0]["id"]], "seq": 3})
    real["save-stale"] = client.put(f"{url}/answers/{q['id']}", json={"options": [], "seq": 2})
    real["save-bad"] = client.put(f"{url}/answers/{q['id']}", json={"options": [987654], "seq": 4})
    real["start"] = client.post(f"/api/rounds/{rnd.id}/attempt")  # resumes, with the saved answer
    real["prediction"] = client.put(f"{url}/prediction", json={"value": 120})
    real["event"] = client.post(f"{url}/events", json={"kind": "blur"})
    real["review-early"] = client.get(f"{url}/review")
    clock.advance(minutes=5)
    real["submit"] = client.post(f"{url}/submit")
    real["finished"] = client.get(url)
    real["save-closed"] = client.put(f"{url}/answers/{q['id']}", json={"options": [], "seq": 9})
    clock.set(rnd.closes_at)
    real["review"] = client.get(f"{url}/review")
    codes = {name: r.status_code for name, r in real.items()}
    assert codes == {"time": 200, "rounds": 200, "save": 200, "save-stale": 200, "save-bad": 400, "start": 200,
                     "prediction": 200, "event": 200, "review-early": 403, "submit": 200, "finished": 200,
                     "save-closed": 409, "review": 200}
    problems = {name: same_shape(example, real[name].get_json()) for name, example in examples().items()}
    assert {name: p for name, p in problems.items() if p} == {}
    assert real["save-stale"].get_json()["stale"] is True and "stale" not in real["save"].get_json()
    assert real["start"].get_json()["answers"] == {str(q["id"]): [q["options"][0]["id"]]}


def test_the_documented_error_codes(app, client, login_as, world, make_question, make_round, db_session, clock):
    rnd = make_round([make_question()])
    db_session.commit()
    assert client.get("/api/rounds").status_code == 401
    assert client.get("/api/time").status_code == 200
    login_as(world.student1)
    assert client.get("/api/rounds?status=soon").status_code == 400
    aid = client.post(f"/api/rounds/{rnd.id}/attempt").get_json()["attempt_id"]
    qid = client.get(f"/api/attempts/{aid}").get_json()["questions"][0]["id"]
    big = client.put(f"/api/attempts/{aid}/answers/{qid}", data="x" * (1024 * 1024), content_type="application/json")
    assert big.status_code == 400 and "error" in big.get_json()
    assert client.put(f"/api/attempts/{aid}/answers/{qid}", data="[1]",
                      content_type="application/json").status_code == 400
    login_as(world.student2)
    assert client.get(f"/api/attempts/{aid}").status_code == 404
    assert client.post(f"/api/attempts/{aid}/submit").status_code == 404


@pytest.mark.parametrize("late, expected", [(10, 200), (11, 409)])
def test_the_network_grace_is_ten_seconds_by_default(client, login_as, world, make_question, make_round,
                                                     db_session, clock, late, expected):
    rnd = make_round([make_question()], time_limit=30)
    db_session.commit()
    login_as(world.student1)
    data = client.post(f"/api/rounds/{rnd.id}/attempt").get_json()
    q = data["questions"][0]
    clock.advance(minutes=30, seconds=late)
    r = client.put(f"/api/attempts/{data['attempt_id']}/answers/{q['id']}",
                   json={"options": [q["options"][0]["id"]], "seq": 1})
    assert r.status_code == expected


def test_autosaves_are_rate_limited_per_attempt_with_retry_after(app, client, login_as, world, make_question,
                                                                 make_round, db_session, clock):
    app.config["AUTOSAVE_RATE_LIMIT"] = "3/minute"
    rnd = make_round([make_question()])
    db_session.commit()
    login_as(world.student1)
    data = client.post(f"/api/rounds/{rnd.id}/attempt").get_json()
    q = data["questions"][0]
    url = f"/api/attempts/{data['attempt_id']}/answers/{q['id']}"
    statuses = [client.put(url, json={"options": [], "seq": n}).status_code for n in range(1, 5)]
    assert statuses == [200, 200, 200, 429]
    limited = client.put(url, json={"options": [], "seq": 9})
    assert limited.status_code == 429 and "error" in limited.get_json() and limited.headers["Retry-After"]
    login_as(world.student1b)  # another student's attempt is not affected
    other = client.post(f"/api/rounds/{rnd.id}/attempt").get_json()
    oq = other["questions"][0]
    assert client.put(f"/api/attempts/{other['attempt_id']}/answers/{oq['id']}",
                      json={"options": [], "seq": 1}).status_code == 200
