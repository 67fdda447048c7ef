"""The OpenAPI description of the JSON API (quiz/main/openapi.json, served at /api/openapi.json) names exactly the
routes under /api/ with their methods, and says what every route needs and answers (docs/api.md)."""
import json
import re

import pytest

from quiz.main.routes import OPENAPI

IGNORED = {"HEAD", "OPTIONS"}
WRITES = {"POST", "PUT", "PATCH", "DELETE"}


def document() -> dict:
    return json.loads(OPENAPI.read_text(encoding="utf-8"))


def flask_routes(app) -> set[tuple[str, str]]:
    """(path in OpenAPI's spelling, method) of every rule under /api/: ``<int:attempt_id>`` → ``{attempt_id}``."""
    found = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/"):
            path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)
            found.update((path, method) for method in rule.methods - IGNORED)
    return found


def described_routes(doc: dict) -> set[tuple[str, str]]:
    return {(path, method.upper()) for path, item in doc["paths"].items() for method in item
            if method in ("get", "put", "post", "delete", "patch")}


def test_every_json_route_is_described_and_every_description_is_a_route(app):
    routes, described = flask_routes(app), described_routes(document())
    assert sorted(routes - described) == [], "routes without a description in quiz/main/openapi.json"
    assert sorted(described - routes) == [], "described in quiz/main/openapi.json but not a route"


def test_the_description_names_only_api_paths_with_the_parameters_of_the_rule(app):
    doc = document()
    for path, item in doc["paths"].items():
        assert path.startswith("/api/")
        for method, op in item.items():
            in_path = {p["name"] for p in op.get("parameters", []) if p["in"] == "path"}
            assert in_path == set(re.findall(r"{(\w+)}", path)), (method, path)


def test_the_document_is_served_as_it_is_in_the_repository(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.get_json() == document()


def test_every_operation_answers_json_errors_and_writes_need_the_csrf_token():
    doc = document()
    for path, item in doc["paths"].items():
        for method, op in item.items():
            where = f"{method.upper()} {path}"
            assert "200" in op["responses"], where
            for code, answer in op["responses"].items():
                if code.startswith(("4", "5")):
                    assert answer == {"$ref": answer.get("$ref")} and answer["$ref"].startswith("#/components/responses/"), where
            assert not any(code.startswith("5") and code != "503" for code in op["responses"]), where
            if method.upper() in WRITES:
                assert op["security"] == [{"sessionCookie": [], "csrfToken": []}], where
                assert "400" in op["responses"], where  # a missing or wrong CSRF token
    for name, answer in doc["components"]["responses"].items():
        assert answer["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}, name


def test_request_bodies_refuse_unknown_fields_as_the_api_does():
    doc = document()
    for path, item in doc["paths"].items():
        for method, op in item.items():
            if "requestBody" in op:
                ref = op["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
                assert doc["components"]["schemas"][ref]["additionalProperties"] is False, (method, path)


def test_the_document_is_valid_openapi_3_1():
    schemathesis = pytest.importorskip("schemathesis", reason="the fuzz extra (schemathesis) validates the document")
    schema = schemathesis.openapi.from_dict(document())
    schema.validate()  # against the OpenAPI 3.1 meta-schema
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == len(described_routes(document()))


def test_a_finished_attempt_whose_key_waits_matches_the_attempt_schema(client, login_as, world, make_question,
                                                                       make_round, db_session):
    """A submitted attempt with a retake left carries ``review_note``; the Attempt schema refuses unknown keys, so
    every key the API sends must be described."""
    from quiz.models import ReviewPolicy

    rnd = make_round([make_question() for _ in range(2)], review_policy=ReviewPolicy.AFTER_CLOSE,
                     attempts_allowed=2, time_limit=30, duration_minutes=120)
    db_session.commit()
    login_as(world.student1)
    attempt_id = client.post(f"/api/rounds/{rnd.id}/attempt").get_json()["attempt_id"]
    client.post(f"/api/attempts/{attempt_id}/submit")
    body = client.get(f"/api/attempts/{attempt_id}").get_json()
    schema = document()["components"]["schemas"]["Attempt"]
    assert body["review_available"] is False and body["review_note"]
    assert schema["additionalProperties"] is False
    assert set(body) <= set(schema["properties"]), set(body) - set(schema["properties"])
    assert set(schema.get("required", [])) <= set(body)
