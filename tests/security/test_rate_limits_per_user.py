"""Imports and certificate jobs are limited per user (10 a minute by default), not per address:
the 11th in a minute gets 429 while a colleague behind the same school address goes on."""
from __future__ import annotations

import io

from quiz.models import BankVisibility, ContestScope


def _import(client, bank_id: int):
    data = {"file": (io.BytesIO(b"Cau hoi;Dap an\n"), "cau-hoi.csv"), "language": "vi"}
    return client.post(f"/banks/{bank_id}/import", data=data, content_type="multipart/form-data")


def test_the_eleventh_bank_import_in_a_minute_gets_429_and_a_colleague_still_imports(app, world, make_bank,
                                                                                     login_as, db_session):
    mine = make_bank("Ngân hàng của cô A", owner_unit=world.school1, owner_user=world.teacher1,
                     visibility=BankVisibility.PRIVATE)
    school = make_bank("Ngân hàng của trường A", owner_unit=world.school1, visibility=BankVisibility.SCHOOL)
    db_session.commit()
    teacher = app.test_client()
    with teacher.session_transaction() as sess:
        sess["_user_id"] = world.teacher1.get_id()
    statuses = [_import(teacher, mine.id).status_code for _ in range(10)]
    assert 429 not in statuses and set(statuses) <= {200, 400}
    refused = _import(teacher, mine.id)
    assert refused.status_code == 429
    assert refused.headers["Retry-After"]
    # A confirmation counts against the same budget.
    assert teacher.post(f"/banks/{mine.id}/import/{'x' * 32}").status_code == 429

    manager = app.test_client()  # same address (the test client's), another user
    with manager.session_transaction() as sess:
        sess["_user_id"] = world.manager1.get_id()
    assert _import(manager, school.id).status_code in (200, 400)
    # Looking at the import page is not an import.
    assert teacher.get(f"/banks/{mine.id}/import").status_code == 200


def test_the_eleventh_certificate_job_in_a_minute_gets_429_and_another_organiser_goes_on(app, world, make_round,
                                                                                      db_session, clock):
    rnd = make_round(scope=ContestScope.SCHOOL, organiser=world.school1)
    db_session.commit()
    contest_id = rnd.contest_id
    manager = app.test_client()
    with manager.session_transaction() as sess:
        sess["_user_id"] = world.manager1.get_id()
    # Issue and export share the budget (no results yet: each is refused with a message, still counted).
    statuses = [manager.post(f"/certificates/contests/{contest_id}/issue").status_code for _ in range(5)]
    statuses += [manager.post(f"/certificates/contests/{contest_id}/export").status_code for _ in range(5)]
    assert 429 not in statuses
    assert manager.post(f"/certificates/contests/{contest_id}/export").status_code == 429
    assert manager.post(f"/certificates/contests/{contest_id}/issue").status_code == 429

    admin = app.test_client()
    with admin.session_transaction() as sess:
        sess["_user_id"] = world.admin.get_id()
    assert admin.post(f"/certificates/contests/{contest_id}/export").status_code != 429


def test_imports_that_spent_the_users_cpu_budget_get_429_with_retry_after_and_a_colleague_goes_on(
        app, world, make_bank, db_session, monkeypatch):
    """Issue 15, #12: import work is charged to the user in CPU seconds (IMPORT_CPU_BUDGET, 60 s per 10 minutes);
    bank imports and roster imports share it. The measured cost is injected: every import costs 10 s here."""
    import itertools

    from quiz import rate_limits

    readings = itertools.count(0, 10)  # the thread's CPU clock, 10 s further at each reading
    monkeypatch.setattr(rate_limits, "thread_cpu", lambda: next(readings))  # start and end of a request: 10 s
    school = make_bank("Ngân hàng của trường A", owner_unit=world.school1, visibility=BankVisibility.SCHOOL)
    mine = make_bank("Ngân hàng của cô A", owner_unit=world.school1, owner_user=world.teacher1,
                     visibility=BankVisibility.PRIVATE)
    db_session.commit()
    manager = app.test_client()
    with manager.session_transaction() as sess:
        sess["_user_id"] = world.manager1.get_id()
    statuses = [_import(manager, school.id).status_code for _ in range(6)]  # 6 x 10 s = the whole budget
    assert 429 not in statuses
    refused = _import(manager, school.id)
    assert refused.status_code == 429
    assert 0 < int(refused.headers["Retry-After"]) <= 600
    assert "processing time" in refused.get_data(as_text=True) or "thời gian xử lý" in refused.get_data(as_text=True)
    roster = manager.post("/admin/roster", data={"school_id": world.school1.id,
                                                 "file": (io.BytesIO(b"Ho va ten,Lop\n"), "ds.csv")},
                          content_type="multipart/form-data")
    assert roster.status_code == 429  # the roster import draws on the same budget

    teacher = app.test_client()  # a colleague at the same address has a budget of their own
    with teacher.session_transaction() as sess:
        sess["_user_id"] = world.teacher1.get_id()
    assert _import(teacher, mine.id).status_code in (200, 400)
