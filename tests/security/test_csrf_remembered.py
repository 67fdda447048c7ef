"""CSRF on the JSON API: a header token accepted once is remembered (quiz/security.py), which must never
accept what Flask-WTF would refuse."""
import re

import pytest


@pytest.fixture
def protected(app, db_session, world, make_round, make_question):
    rnd = make_round([make_question()])
    db_session.commit()
    app.config["WTF_CSRF_ENABLED"] = True

    def session_for(student):
        client = app.test_client()
        with client.session_transaction() as sess:
            sess["_user_id"] = student.get_id()
        page = client.get(f"/rounds/{rnd.id}/take").get_data(as_text=True)
        token = re.search(r'<meta name="csrf-token" content="([^"]+)">', page).group(1)
        return client, token

    return rnd, session_for


def _save(client, rnd, token, **kw):
    headers = {"X-CSRFToken": token} if token is not None else {}
    return client.post(f"/api/rounds/{rnd.id}/attempt", headers=headers, json={}, **kw)  # JSON, as the page sends


def test_a_remembered_token_still_only_works_with_its_own_session(protected, world):
    rnd, session_for = protected
    mine, token = session_for(world.student1)
    assert _save(mine, rnd, token).status_code == 200
    from quiz.extensions import csrf

    assert any(pair[0] == token for pair in csrf._accepted)  # so the next request takes the remembered path
    assert _save(mine, rnd, token).status_code == 200
    other, _ = session_for(world.student1b)
    refused = _save(other, rnd, token)  # my token in another session
    assert refused.status_code == 400 and "error" in refused.get_json()


def test_a_tampered_or_missing_token_is_refused_after_the_real_one_was_accepted(protected, world):
    rnd, session_for = protected
    client, token = session_for(world.student1)
    assert _save(client, rnd, token).status_code == 200
    assert _save(client, rnd, token[:-2] + ("AA" if not token.endswith("AA") else "BB")).status_code == 400
    assert _save(client, rnd, None).status_code == 400


def test_over_https_the_referrer_is_checked_on_every_request_even_when_remembered(protected, world):
    rnd, session_for = protected
    client, token = session_for(world.student1)
    https = {"base_url": "https://localhost/", "json": {}}
    ok = client.post(f"/api/rounds/{rnd.id}/attempt", headers={"X-CSRFToken": token,
                                                               "Referer": "https://localhost/rounds"}, **https)
    assert ok.status_code == 200
    again = client.post(f"/api/rounds/{rnd.id}/attempt", headers={"X-CSRFToken": token}, **https)
    assert again.status_code == 400
    foreign = client.post(f"/api/rounds/{rnd.id}/attempt", headers={"X-CSRFToken": token,
                                                                    "Referer": "https://evil.example/"}, **https)
    assert foreign.status_code == 400
