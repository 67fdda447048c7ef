"""Question banks in the application: a 10,000-question XLSX import through ``flask bank import``, and the
question list of a 50,000-question bank (first page, a deep page, search, filters) with its query plan.

    .venv/bin/python bench/banks_app.py                                   # SQLite file in a temp folder
    .venv/bin/python bench/banks_app.py --database-url postgresql://postgres@127.0.0.1:5432/test_h1

A measurement, not a test: the figures go into ``docs/banks.md``. The schema is (re)created from the
models in the given database, which is emptied first: never point it at a database you need.
"""
from __future__ import annotations

import argparse
import pathlib
import sys
import tempfile
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))

from sqlalchemy import select, text  # noqa: E402

from bench.import_xlsx import build  # noqa: E402
from question_bank.formats import write  # noqa: E402
from quiz import create_app  # noqa: E402
from quiz.banks.inserting import insert_questions  # noqa: E402
from quiz.banks.listing import QuestionFilters, filtered_query, list_questions  # noqa: E402
from quiz.extensions import db  # noqa: E402
from quiz.models import Bank, Base, QuestionStatus, Unit, UnitKind  # noqa: E402


def _app(url: str, folder: str):
    app = create_app({"INSTANCE_PATH": folder, "DATABASE_URL": url, "SECRET_KEY": "bench"})
    engine = app.extensions["quiz_db"].engine
    Base.metadata.drop_all(engine)
    Base.metadata.create_all(engine)
    with app.app_context():
        from quiz import clock

        db.session.add(Unit(kind=UnitKind.DEPARTMENT, name="Sở GD&ĐT", path="/1/", code="SO", created_at=clock.now()))
        db.session.commit()
    return app


def _timed(label: str, fn, repeat: int = 3):
    best = None
    result = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
    print(f"  {label}: {best * 1000:.1f} ms")
    return result


def bench_import(app, folder: str, count: int) -> None:
    path = pathlib.Path(folder) / "bench.xlsx"
    path.write_bytes(write(build(count, False), "xlsx"))
    print(f"Import of {count} questions ({path.stat().st_size // 1024} KiB XLSX) with `flask bank import`:")
    runner = app.test_cli_runner()
    start = time.perf_counter()
    result = runner.invoke(args=["bank", "import", str(path), "--bank", "Bench import"])
    elapsed = time.perf_counter() - start
    print(f"  exit {result.exit_code}: {result.stdout.strip()[:160]}")
    print(f"  {elapsed:.1f} s for the whole command (read, check against the bank, insert, commit)")


def bench_list(app, total: int) -> None:
    with app.app_context():
        bank = db.session.scalar(select(Bank).where(Bank.name == "Bench import"))
        have = db.session.scalar(text("select count(*) from questions where bank_id = :b"), {"b": bank.id})
        start = time.perf_counter()
        while have < total:
            batch = build(min(10_000, total - have), False)
            for q in batch:
                q.key = None
            insert_questions(db.session, bank, batch, None, QuestionStatus.APPROVED)
            db.session.commit()
            have += len(batch)
        print(f"Question list of a {have}-question bank (filled in {time.perf_counter() - start:.0f} s):")
        if db.engine.dialect.name == "postgresql":
            db.session.execute(text("ANALYZE"))
        filters = QuestionFilters(bank_ids=[bank.id])
        page = _timed("first page (50 rows + total)", lambda: list_questions(db.session, filters))
        cursor = page.next_cursor
        for _ in range(200):  # walk to page ~200
            page = list_questions(db.session, filters, after=cursor)
            cursor = page.next_cursor
        _timed("page 200 by cursor", lambda: list_questions(db.session, filters, after=cursor))
        _timed("search 'hien chuong'", lambda: list_questions(db.session, QuestionFilters(bank_ids=[bank.id],
                                                                                           q="hien chuong")))
        _timed("filter pillar+difficulty", lambda: list_questions(db.session, QuestionFilters(
            bank_ids=[bank.id], pillar="economic", difficulty="hard")))
        stmt = filtered_query(filters).order_by(text("updated_at desc, id desc")).limit(51)
        compiled = stmt.compile(db.engine, compile_kwargs={"literal_binds": True})
        explain = "EXPLAIN QUERY PLAN " if db.engine.dialect.name == "sqlite" else "EXPLAIN "
        print("  plan of the page query:")
        for row in db.session.execute(text(explain + str(compiled))):
            print("    " + " | ".join(str(c) for c in row))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url")
    parser.add_argument("-n", "--count", type=int, default=10_000)
    parser.add_argument("--list-total", type=int, default=50_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{folder}/bench.sqlite3"
        app = _app(url, folder)
        print(f"Database: {app.extensions['quiz_db'].engine.dialect.name}")
        bench_import(app, folder, args.count)
        bench_list(app, args.list_total)


if __name__ == "__main__":
    main()
