"""The autosave limit belongs to the (user, attempt) pair (issue 15, #1): another student's or a visitor's
requests for my attempt never spend my allowance, and a client flooding saves — on its own attempt or on
attempt ids that are not its own — is limited on its own key."""
from __future__ import annotations

import pytest


@pytest.fixture
def victim(app, world, make_question, make_round, db_session):
    """student1 (school 1) has started a round; returns (url of one of their saves, an option id)."""
    # The production limits are per second; per-hour ones of the same size make the tests independent of speed.
    app.config.update(AUTOSAVE_RATE_LIMIT="10/hour", AUTOSAVE_USER_RATE_LIMIT="20/hour")
    rnd = make_round([make_question()])
    db_session.commit()
    owner = _client_for(app, world.student1)
    data = owner.post(f"/api/rounds/{rnd.id}/attempt").get_json()
    q = data["questions"][0]
    return owner, f"/api/attempts/{data['attempt_id']}/answers/{q['id']}", q["options"][0]["id"], rnd


def _client_for(app, user):
    client = app.test_client()
    with client.session_transaction() as sess:
        sess["_user_id"] = user.get_id()
        sess["_fresh"] = True
    return client


def test_a_foreign_flood_does_not_spend_the_owners_allowance(app, world, victim):
    owner, url, option, _rnd = victim
    intruder = _client_for(app, world.student2)  # a student of another school
    statuses = {intruder.put(url, json={"options": [option], "seq": i}).status_code for i in range(1, 40)}
    assert statuses == {404, 429}  # never stored, and the intruder is stopped on their own key
    anonymous = app.test_client()
    assert {anonymous.put(url, json={"options": [option], "seq": i}).status_code for i in range(1, 20)} == {401}
    # The owner still has all ten saves of the window.
    saves = [owner.put(url, json={"options": [option], "seq": i}).status_code for i in range(1, 11)]
    assert saves == [200] * 10
    assert owner.put(url, json={"options": [option], "seq": 11}).status_code == 429  # and only their own ten


def test_a_client_hammering_many_attempt_ids_is_limited_per_user(app, world, victim):
    owner, url, option, rnd = victim
    prober = _client_for(app, world.student2)
    own = prober.post(f"/api/rounds/{rnd.id}/attempt").get_json()
    own_url = f"/api/attempts/{own['attempt_id']}/answers/{own['questions'][0]['id']}"
    statuses = [prober.put(f"/api/attempts/{attempt_id}/answers/1", json={"options": [], "seq": 1}).status_code
                for attempt_id in range(1000, 1030)]  # thirty different ids: a key of its own per attempt each
    assert statuses[:20] == [404] * 20 and set(statuses[20:]) == {429}
    # The per-user key holds the prober's own attempt too; others are not affected.
    assert prober.put(own_url, json={"options": [], "seq": 1}).status_code == 429
    assert owner.put(url, json={"options": [option], "seq": 1}).status_code == 200
    classmate = _client_for(app, world.student2b)
    theirs = classmate.post(f"/api/rounds/{rnd.id}/attempt").get_json()
    assert classmate.put(f"/api/attempts/{theirs['attempt_id']}/answers/{theirs['questions'][0]['id']}",
                         json={"options": [], "seq": 1}).status_code == 200
