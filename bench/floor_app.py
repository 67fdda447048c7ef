"""The stack's floor: the least an autosave endpoint can do on the same gunicorn, PostgreSQL and settings —
one signed-cookie check and one UPSERT per request, the UPSERT one autocommitted statement (one round trip, after
the pool's pre-ping, like the app's autosave). ``bench/run.py`` compares our autosave with it."""
from __future__ import annotations

import os

from flask import Flask, abort, jsonify, request, session
from sqlalchemy import create_engine, text

app = Flask(__name__)
app.secret_key = os.environ.get("QUIZ_SECRET_KEY", "floor")
engine = create_engine(os.environ["QUIZ_DATABASE_URL"].replace("postgresql://", "postgresql+psycopg://", 1),
                       pool_size=10, max_overflow=20, pool_pre_ping=True)
with engine.begin() as conn:  # every worker imports this at once: the lock keeps two CREATEs from colliding
    conn.execute(text("SELECT pg_advisory_xact_lock(7270001)"))
    conn.execute(text("CREATE TABLE IF NOT EXISTS bench_floor (user_id int, question_id int, option_ids text, "
                      "seq int, PRIMARY KEY (user_id, question_id))"))


@app.post("/login")
def login():
    session["user"] = int(request.form["user"])
    return "ok"


@app.put("/floor/save/<int:question_id>")
def save(question_id: int):
    user = session.get("user")
    if user is None:
        abort(403)
    body = request.get_json(force=True)
    # one statement, autocommitted (no BEGIN/COMMIT round trips), as the app's autosave runs on PostgreSQL
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("INSERT INTO bench_floor VALUES (:u, :q, :o, :s) ON CONFLICT (user_id, question_id) "
                          "DO UPDATE SET option_ids = EXCLUDED.option_ids, seq = EXCLUDED.seq "
                          "WHERE bench_floor.seq < EXCLUDED.seq"),
                     {"u": user, "q": question_id, "o": str(body["options"]), "s": int(body["seq"])})
    return jsonify({"saved": True, "seq": body["seq"]})
