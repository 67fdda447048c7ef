"""``make bench``: the production set-up under a contest-day load, with a report.

1. seeds a fresh round with BENCH_STUDENTS students in BENCH_DATABASE_URL (PostgreSQL) and flushes BENCH_REDIS_URL;
2. serves the app with gunicorn (deploy/gunicorn.conf.py) in production mode;
3. ``storm``: all students log in, are released within BENCH_SPREAD seconds, start, autosave 30 answers at
   BENCH_SAVE_RATE saves/s in all, poll the leaderboard, submit (locust, headless);
4. saturation: closed-loop autosaves against the app, then against bench/floor_app.py (cookie check + UPSERT)
   on the same gunicorn settings → the floor ratio;
5. leaderboard scale (bench/leaderboard_scale.py) when the leaderboard module is present;
6. checks: every acknowledged save is in the database, one attempt per student, every attempt scored;
7. writes bench/results/latest.json and latest.md and prints the summary.
"""
from __future__ import annotations

import csv
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "results"
BIN = Path(sys.executable).parent

DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/bench")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
STUDENTS = int(os.environ.get("BENCH_STUDENTS", "2000"))
SPREAD = float(os.environ.get("BENCH_SPREAD", "10"))
SAVE_RATE = float(os.environ.get("BENCH_SAVE_RATE", "1500"))
DURATION = int(os.environ.get("BENCH_DURATION", "150"))  # cap of the storm phase, seconds
SATURATE_USERS = int(os.environ.get("BENCH_SATURATE_USERS", "64"))
SATURATE_SECONDS = int(os.environ.get("BENCH_SATURATE_SECONDS", "20"))


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ensure_database() -> None:
    import psycopg

    base, name = DATABASE_URL.rsplit("/", 1)
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def flush_redis() -> None:
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()


class Server:
    def __init__(self, app: str, env: dict) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen(
            [str(BIN / "gunicorn"), "-c", str(ROOT / "deploy/gunicorn.conf.py"), "--bind", f"127.0.0.1:{self.port}",
             app], cwd=ROOT, env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=open(RESULTS / "gunicorn.log", "a"))
        for _ in range(150):
            try:
                urllib.request.urlopen(self.url + ("/healthz" if app == "wsgi:app" else "/login"), timeout=1)
                return
            except urllib.error.HTTPError:
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not start; see bench/results/gunicorn.log")

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(30)


def locust(scenario: str, host: str, users: int, spawn_rate: float, run_time: int, extra_env: dict) -> dict:
    prefix = RESULTS / f"locust-{scenario}"
    env = {**os.environ, "BENCH_SCENARIO": scenario, "BENCH_STUDENTS": str(users), **extra_env}
    subprocess.run([str(BIN / "locust"), "-f", str(ROOT / "bench/locustfile.py"), "--headless", "--only-summary",
                    "-u", str(users), "-r", str(spawn_rate), "-t", f"{run_time}s", "--stop-timeout", "10",
                    "--host", host, "--csv", str(prefix), "--loglevel", "WARNING"],
                   cwd=ROOT, env=env, check=False, stdout=subprocess.DEVNULL)
    stats = {}
    with open(f"{prefix}_stats.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["Name"] == "Aggregated":
                continue
            stats[row["Name"]] = {
                "requests": int(row["Request Count"]), "errors": int(row["Failure Count"]),
                "throughput_rps": round(float(row["Requests/s"]), 1),
                "p50_ms": float(row["50%"]), "p95_ms": float(row["95%"]), "p99_ms": float(row["99%"]),
            }
    return stats


def read_acks(path: Path) -> list[list]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def window_rate(times: list[float], seconds: float = 5.0) -> float:
    """Highest number of acknowledged saves per second over any ``seconds`` window."""
    times = sorted(times)
    best, j = 0, 0
    for i, t in enumerate(times):
        while times[j] < t - seconds:
            j += 1
        best = max(best, i - j + 1)
    return round(best / seconds, 1)


def check_database(round_id: int, acks: list[list]) -> dict:
    from sqlalchemy import create_engine, text

    engine = create_engine(DATABASE_URL.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.connect() as conn:
        stored = {(a, q): (s, o) for a, q, s, o in conn.execute(text(
            "SELECT attempt_id, question_id, seq, option_ids FROM answers"))}
        duplicates = conn.execute(text(
            "SELECT count(*) FROM (SELECT user_id FROM attempts WHERE round_id = :r GROUP BY user_id "
            "HAVING count(*) > 1) d"), {"r": round_id}).scalar()
        attempts = conn.execute(text("SELECT count(*) FROM attempts WHERE round_id = :r"), {"r": round_id}).scalar()
        unscored = conn.execute(text("SELECT count(*) FROM attempts WHERE round_id = :r AND (submitted_at IS NULL "
                                     "OR score IS NULL)"), {"r": round_id}).scalar()
    engine.dispose()
    lost = 0
    latest: dict[tuple, int] = {}
    for attempt_id, question_id, seq, _option, _t in acks:
        latest[(attempt_id, question_id)] = max(seq, latest.get((attempt_id, question_id), 0))
    for key, seq in latest.items():
        if key not in stored or stored[key][0] < seq:
            lost += 1
    return {"attempts": attempts, "duplicate_attempts": duplicates, "unscored_attempts": unscored,
            "acknowledged_saves": len(acks), "lost_saves": lost}


def main() -> int:
    RESULTS.mkdir(exist_ok=True)
    for old in [*RESULTS.glob("locust-*"), *RESULTS.glob("acks*.jsonl")]:
        old.unlink()
    (RESULTS / "gunicorn.log").write_text("")
    ack_file = RESULTS / "acks.jsonl"
    ack_file.unlink(missing_ok=True)
    ensure_database()
    flush_redis()
    from bench.seed import PASSWORD, seed

    log(f"seeding {STUDENTS} students in {DATABASE_URL}")
    seeded = seed(DATABASE_URL, STUDENTS + SATURATE_USERS)
    app_env = {"QUIZ_ENV": "production", "QUIZ_SECRET_KEY": "bench-secret", "QUIZ_DATABASE_URL": DATABASE_URL,
               "QUIZ_REDIS_URL": REDIS_URL, "QUIZ_SECURE_COOKIES": "0", "QUIZ_PROXY_FIX": "0"}
    report: dict = {"students": STUDENTS, "questions": seeded["questions"], "save_rate_offered": SAVE_RATE,
                    "release_spread_s": SPREAD, "gunicorn": {"worker_class": os.environ.get("GUNICORN_WORKER_CLASS", "gthread"),
                                                           "workers": os.environ.get("GUNICORN_WORKERS", "2 x cores"),
                                                           "threads": os.environ.get("GUNICORN_THREADS", "4")},
                    "cores": os.cpu_count()}
    server = Server("wsgi:app", app_env)
    try:
        login_seconds = max(15.0, STUDENTS / 150)
        release_at = time.time() + login_seconds + 5
        log(f"storm: {STUDENTS} students log in over {login_seconds:.0f}s, released within {SPREAD:.0f}s")
        started = time.time()
        storm = locust("storm", server.url, STUDENTS, STUDENTS / login_seconds, DURATION,
                       {"BENCH_ROUND_ID": str(seeded["round_id"]), "BENCH_RELEASE_AT": str(release_at),
                        "BENCH_SPREAD": str(SPREAD), "BENCH_SAVE_RATE": str(SAVE_RATE), "BENCH_PASSWORD": PASSWORD,
                        "BENCH_ACK_FILE": str(ack_file)})
        report["storm_seconds"] = round(time.time() - started, 1)
        acks = read_acks(ack_file)
        report["endpoints"] = storm
        report["autosave_peak_rps"] = window_rate([a[4] for a in acks])
        report["correctness"] = check_database(seeded["round_id"], acks)
        start_stats = storm.get("POST start", {})
        report["start_storm"] = {"students": STUDENTS, "started": start_stats.get("requests", 0) - start_stats.get("errors", 0),
                                 "p99_ms": start_stats.get("p99_ms"), "max_wait_within_30s": (start_stats.get("p99_ms") or 0) <= 30000}
        log("saturation: app autosave")
        app_sat = locust("saturate-app", server.url, SATURATE_USERS, SATURATE_USERS, SATURATE_SECONDS,
                         {"BENCH_ROUND_ID": str(seeded["round_id"]), "BENCH_PASSWORD": PASSWORD,
                          "BENCH_ACK_FILE": str(RESULTS / "acks-saturate.jsonl"), "BENCH_USER_OFFSET": str(STUDENTS)})
    finally:
        server.stop()
    floor = Server("bench.floor_app:app", app_env)
    try:
        log("saturation: floor (cookie check + UPSERT)")
        floor_sat = locust("saturate-floor", floor.url, SATURATE_USERS, SATURATE_USERS, SATURATE_SECONDS,
                           {"BENCH_ACK_FILE": str(RESULTS / "acks-floor.jsonl")})
    finally:
        floor.stop()
    # throughput at saturation: the best 5 s window of acknowledged saves (logins excluded)
    app_rps = window_rate([a[4] for a in read_acks(RESULTS / "acks-saturate.jsonl")])
    floor_rps = window_rate([a[4] for a in read_acks(RESULTS / "acks-floor.jsonl")])
    report["saturation_rps"] = {"app_autosave": app_rps, "floor": floor_rps}
    report["saturation"] = {"app_autosave": app_sat.get("PUT answer (saturate)"), "floor": floor_sat.get("PUT floor save"),
                            "floor_ratio": round(app_rps / floor_rps, 2) if floor_rps else None}
    scale = ROOT / "bench" / "leaderboard_scale.py"
    if scale.exists():
        log("leaderboard scale")
        out = subprocess.run([sys.executable, str(scale)], cwd=ROOT, capture_output=True, text=True,
                             env={**os.environ, "BENCH_REDIS_URL": REDIS_URL, "BENCH_DATABASE_URL": DATABASE_URL})
        try:
            report["leaderboard"] = json.loads(out.stdout.strip().splitlines()[-1])
        except (ValueError, IndexError):
            report["leaderboard"] = {"error": (out.stderr or out.stdout)[-500:]}
    (RESULTS / "latest.json").write_text(json.dumps(report, indent=2, ensure_ascii=False))
    summary = markdown(report)
    (RESULTS / "latest.md").write_text(summary)
    print(summary)
    c = report["correctness"]
    return 0 if c["lost_saves"] == 0 and c["duplicate_attempts"] == 0 else 1


def markdown(r: dict) -> str:
    lines = [f"# Benchmark {time.strftime('%Y-%m-%d %H:%M')} — {r['students']} students, {r['cores']} cores", "",
             f"gunicorn {r['gunicorn']}; offered autosave rate {r['save_rate_offered']}/s; release within "
             f"{r['release_spread_s']} s", "", "| endpoint | requests | errors | rps (avg) | p50 ms | p95 ms | p99 ms |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for name, s in r["endpoints"].items():
        lines.append(f"| {name} | {s['requests']} | {s['errors']} | {s['throughput_rps']} | {s['p50_ms']:.0f} | "
                     f"{s['p95_ms']:.0f} | {s['p99_ms']:.0f} |")
    sat = r["saturation"]
    lines += ["", f"Autosave peak (5 s window, storm): **{r['autosave_peak_rps']} saves/s**",
              f"Saturation (best 5 s): app autosave {r['saturation_rps']['app_autosave']} saves/s vs floor "
              f"{r['saturation_rps']['floor']} saves/s → ratio **{sat['floor_ratio']}**",
              f"Start storm: {r['start_storm']['started']}/{r['start_storm']['students']} started, p99 "
              f"{r['start_storm']['p99_ms']} ms", f"Correctness: {r['correctness']}"]
    if "leaderboard" in r:
        lines.append(f"Leaderboard: {r['leaderboard']}")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
