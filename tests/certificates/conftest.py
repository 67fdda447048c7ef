"""Fixtures of the certificate tests: a closed round with results, published or not."""
from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from quiz.models import Attempt, Role


@pytest.fixture
def finished_round(db_session, clock, world, make_round):
    """``finished_round(scores, published=True)``: a round that closed an hour ago, one finished attempt
    per ``(student, score)`` (equal scores and durations tie), results published unless told otherwise."""

    def make(scores, *, published: bool = True, title: str = "Cuộc thi tìm hiểu về ASEAN năm 2026", **contest):
        rnd = make_round(opens_in_minutes=-180, duration_minutes=120, title=title, **contest)
        for student, score in scores:
            start = clock.now - timedelta(minutes=150)
            db_session.add(Attempt(round_id=rnd.id, user_id=student.id, number=1, started_at=start,
                                   deadline=start + timedelta(minutes=30), submitted_at=start + timedelta(minutes=10),
                                   finished_by="student", score=Decimal(score), max_score=Decimal(100),
                                   duration_ms=600_000, seed=1))
        if published:
            rnd.results_published_at = clock.now - timedelta(minutes=30)
        db_session.commit()
        return rnd

    return make


@pytest.fixture
def pupils(world, make_user):
    """Six more pupils in school 1's class, with Vietnamese names."""
    names = ["Trần Thị Ánh Nguyệt", "Lê Hoàng Đức", "Phạm Ngọc Ý", "Võ Thị Hường", "Đặng Quốc Bảo", "Huỳnh Mỹ Duyên"]
    return [make_user(Role.STUDENT, unit=world.class1, full_name=name, username=f"hs{k}") for k, name in enumerate(names)]
