"""The board shows what decides its order: the prediction's distance (once the round closed), minutes:seconds,
and one line naming the rule as it is applied."""
import io

import pytest
from openpyxl import load_workbook

from lb_requests import name


@pytest.fixture
def predicted(world, clock, make_round, students, finish, db_session):
    """100 points each: student 0 took 18:58 but predicted 40 (true: 42); student 1 took 16:19, predicted 30."""
    rnd = make_round(prediction_question="Bao nhiêu bạn đạt điểm tối đa?")
    rnd.prediction_answer = 42
    rnd.contest.leaderboard_public = True
    finish(rnd, students[0], 100, (18 * 60 + 58) * 1000 + 400, prediction=40)
    finish(rnd, students[1], 100, (16 * 60 + 19) * 1000, prediction=30)
    db_session.commit()
    return rnd


def test_the_order_by_the_prediction_is_explained_and_its_distance_shown_after_the_close(
        client, login_as, predicted, students, clock, db_session):
    login_as(students[1])
    live = client.get(f"/rounds/{predicted.id}/leaderboard").get_data(as_text=True)
    assert "Xếp theo điểm, rồi độ lệch của dự đoán" in live and "rồi thời gian làm bài" in live
    assert "18:58" in live and "16:19" in live and "18:58.400" not in live
    payload = client.get(f"/api/rounds/{predicted.id}/leaderboard").get_json()
    assert [e["name"] for e in payload["entries"]] == [name(0), name(1)]
    assert [e["distance"] for e in payload["entries"]] == [None, None]  # would give the true answer away
    assert payload["shows_distance"] is False and payload["me"]["distance"] is None

    clock.advance(hours=3)  # the round closed
    closed = client.get(f"/rounds/{predicted.id}/leaderboard").get_data(as_text=True)
    assert "Độ lệch dự đoán" in closed
    rows = closed.split('id="lb-rows"')[1]
    assert rows.index(name(0)) < rows.index(name(1))
    payload = client.get(f"/api/rounds/{predicted.id}/leaderboard").get_json()
    assert [e["distance"] for e in payload["entries"]] == [2, 12] and payload["shows_distance"] is True
    assert [e["duration_ms"] for e in payload["entries"]] == [1_138_400, 979_000]  # the key stays as it was


def test_a_board_without_a_prediction_question_names_only_score_time_and_submission(client, login_as, world,
                                                                                     make_round, students, finish,
                                                                                     clock, db_session):
    rnd = make_round()
    rnd.contest.leaderboard_public = True
    finish(rnd, students[0], 7, 61_000)
    db_session.commit()
    html = client.get(f"/rounds/{rnd.id}/leaderboard").get_data(as_text=True)
    assert "Xếp theo điểm, rồi thời gian làm bài, rồi thời điểm nộp bài." in html
    assert "dự đoán" not in html.split('id="lb-rows"')[0].split("<h1>")[1]
    assert "1:01" in html and "1:01.000" not in html


def test_the_export_has_the_distance_and_the_time_as_minutes_and_seconds(client, login_as, predicted, world, clock):
    clock.advance(hours=3)
    login_as(world.admin)
    response = client.get(f"/rounds/{predicted.id}/leaderboard.xlsx")
    sheet = load_workbook(io.BytesIO(response.data)).active
    header = [c.value for c in sheet[1]]
    assert header == ["Hạng", "Họ và tên", "Trường", "Lớp", "Điểm", "Độ lệch dự đoán", "Thời gian làm bài"]
    first = [c for c in sheet[2]]
    assert first[5].value == 2
    assert first[6].number_format == "[m]:ss" and int(first[6].value.total_seconds()) == 18 * 60 + 58  # a duration Excel shows as 18:58
