"""``flask leaderboard rebuild [ROUND]``."""
from lb_requests import board, name, ranks

from quiz.extensions import cache
from quiz.leaderboards.board import board_store


def test_rebuild_puts_the_database_board_back_into_redis(app, client, rnd, students, finish, db_session, board_path):
    for k, score in enumerate([2, 8, 5]):
        finish(rnd, students[k], score)
    db_session.commit()
    runner = app.test_cli_runner()
    if board_path == "sql":
        result = runner.invoke(args=["leaderboard", "rebuild", str(rnd.id)])
        assert result.exit_code == 0 and "answered from the database" in result.output
        return
    if cache.client() is not None:
        cache.client().flushdb()
    else:
        cache.memory.clear()
    result = runner.invoke(args=["leaderboard", "rebuild", str(rnd.id)])
    assert result.exit_code == 0, result.output
    assert f"round {rnd.id}: 3 student(s)" in result.output and f"contest {rnd.contest.id}: 3 student(s)" in result.output
    assert board_store().get(f"lb:1:round:{rnd.id}:ready")  # built by the command, before any read
    response = client.get(f"/api/rounds/{rnd.id}/leaderboard")
    assert response.headers["X-Leaderboard-Source"] == "redis"
    assert ranks(response.get_json()) == [(1, name(1)), (2, name(2)), (3, name(0))]
    everything = runner.invoke(args=["leaderboard", "rebuild"])
    assert everything.exit_code == 0 and "2 board(s) rebuilt." in everything.output
    missing = runner.invoke(args=["leaderboard", "rebuild", "99999"])
    assert missing.exit_code != 0 and "does not exist" in missing.output
    assert board(client, rnd)["total"] == 3
