"""Reading boards through the JSON API in tests."""
from __future__ import annotations


def board(client, rnd, **params):
    response = client.get(f"/api/rounds/{rnd.id}/leaderboard", query_string=params)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def contest_board(client, contest, **params):
    response = client.get(f"/api/contests/{contest.id}/leaderboard", query_string=params)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def ranks(data):
    return [(e["rank"], e["name"]) for e in data["entries"]]


def name(k: int) -> str:
    return f"Trần Thị Học Sinh {k:02d}"
