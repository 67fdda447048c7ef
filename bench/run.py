"""``make bench``: the production set-up under a contest-day load, with a report.

1. seeds a fresh round with BENCH_STUDENTS students in BENCH_DATABASE_URL (PostgreSQL) and flushes BENCH_REDIS_URL;
2. serves the app with gunicorn (deploy/gunicorn.conf.py) in production mode;
3. ``storm``: all students log in, are released within BENCH_SPREAD seconds, start, autosave 30 answers at
   BENCH_SAVE_RATE saves/s in all (open model), poll the leaderboard, submit (locust, headless);
4. saturation: BENCH_SATURATE_USERS students saving at BENCH_SATURATE_PACE/s each (more than the server
   answers) against the app, then against bench/floor_app.py (cookie check + UPSERT) on the same gunicorn
   settings → the floor ratio;
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
DURATION = int(os.environ.get("BENCH_DURATION", "105"))  # cap of the storm phase, seconds (the default run within 5 minutes)
SATURATE_USERS = int(os.environ.get("BENCH_SATURATE_USERS", "500"))
SATURATE_PACE = float(os.environ.get("BENCH_SATURATE_PACE", "4"))  # saves/s per student (limit: 10/s, 300/min)
SATURATE_SECONDS = int(os.environ.get("BENCH_SATURATE_SECONDS", "20"))
LOGIN_RATE = float(os.environ.get("BENCH_LOGIN_RATE", "100"))  # students logging in per second before the release


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
             app], cwd=ROOT, env={**os.environ, "QUIZ_PUBLIC_URL": self.url, **env}, stdout=subprocess.DEVNULL, stderr=open(RESULTS / "gunicorn.log", "a"))
        for _ in range(150):
            try:
                urllib.request.urlopen(self.url + ("/healthz" if app == "wsgi:app" else "/login"), timeout=1)
                return
            except urllib.error.HTTPError:
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not start; see bench/results/gunicorn.log")

    def cpu(self) -> float:
        """CPU seconds used so far by gunicorn (master and workers) and by the PostgreSQL backends of its database."""
        return sum(self.cpu_split())

    def cpu_split(self) -> tuple[float, float]:
        return process_cpu([self.proc.pid, *children(self.proc.pid)]), postgres_cpu()

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(30)


def children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def process_cpu(pids: list[int]) -> float:
    """utime + stime of these processes (Linux /proc; 0 elsewhere)."""
    total, tick = 0.0, os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
        except (OSError, IndexError, ValueError):
            pass
    return total


def postgres_cpu() -> float:
    """CPU of the PostgreSQL backends serving the bench database (their command line names it)."""
    name = DATABASE_URL.rsplit("/", 1)[1]
    pids = []
    for entry in Path("/proc").iterdir() if Path("/proc").exists() else []:
        if entry.name.isdigit():
            try:
                cmd = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                continue
            if cmd.startswith("postgres: ") and f" {name} " in cmd:
                pids.append(int(entry.name))
    return process_cpu(pids)


def cpu_per_save(server: "Server", before: float, saves: int) -> float | None:
    return round((server.cpu() - before) * 1000 / saves, 2) if saves else None


class CpuWindow:
    """CPU of a server from ``delay`` seconds on (after the logins) to ``stop()``, per save acknowledged meanwhile."""

    def __init__(self, server: "Server", delay: float) -> None:
        import threading

        self.server, self.start, self.before = server, time.time() + delay, None
        self.timer = threading.Timer(delay, self._mark)
        self.timer.start()

    def _mark(self) -> None:
        self.before = self.server.cpu_split()

    def stop(self, acks: list[list]) -> dict | None:
        self.timer.cancel()
        if self.before is None:
            return None
        after = self.server.cpu_split()
        saves = sum(1 for a in acks if a[4] >= self.start)
        if not saves:
            return None
        split = {"gunicorn": round((after[0] - self.before[0]) * 1000 / saves, 2),
                 "postgresql": round((after[1] - self.before[1]) * 1000 / saves, 2)}
        return {"total": round(split["gunicorn"] + split["postgresql"], 2), **split, "saves": saves}


def cpu_split_per_save(server: "Server", before: tuple[float, float], saves: int) -> dict | None:
    """CPU ms per save of gunicorn and of PostgreSQL apart (which part a second machine would relieve)."""
    if not saves:
        return None
    after = server.cpu_split()
    return {"gunicorn": round((after[0] - before[0]) * 1000 / saves, 2),
            "postgresql": round((after[1] - before[1]) * 1000 / saves, 2)}


def locust(scenario: str, host: str, users: int, spawn_rate: float, run_time: int, extra_env: dict) -> dict:
    prefix = RESULTS / f"locust-{scenario}"
    env = {**os.environ, "BENCH_SCENARIO": scenario, "BENCH_STUDENTS": str(users), **extra_env}
    subprocess.run([str(BIN / "locust"), "-f", str(ROOT / "bench/locustfile.py"), "--headless", "--only-summary",
                    "-u", str(users), "-r", str(spawn_rate), "-t", f"{run_time}s", "--stop-timeout", "10",
                    "--host", host, "--csv", str(prefix), "--loglevel", "WARNING"],
                   cwd=ROOT, env=env, check=False, stdout=subprocess.DEVNULL,
                   stderr=open(f"{prefix}.log", "w"))  # locust's own summary and warnings
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


def loadavg() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def start_storm(path: Path, release_at: float) -> dict:
    """From the locust start records: were they released together, did every one get an attempt in 30 s?"""
    rows = read_acks(path)
    if not rows:
        return {"students": STUDENTS, "started": 0}
    ok = [r for r in rows if r[5] == 200]
    waits = sorted(r[4] - r[3] for r in ok)
    released = [r[2] for r in rows]
    last = max((r[4] for r in ok), default=release_at)

    def pct(p: float) -> float:
        return round(waits[min(len(waits) - 1, int(p / 100 * (len(waits) - 1)))] * 1000) if waits else None

    return {"students": STUDENTS, "started": len({r[0] for r in ok}), "failed": len(rows) - len(ok),
            "logged_in_before_release": sum(1 for r in rows if r[1] <= release_at),
            "release_window_s": round(max(released) - min(released), 1),
            "all_started_within_s": round(last - release_at, 1),
            "start_p50_ms": pct(50), "start_p95_ms": pct(95), "start_p99_ms": pct(99),
            "start_max_ms": round(waits[-1] * 1000) if waits else None,
            "target_met": len(ok) == STUDENTS and last - release_at <= 30}


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
        unscored = conn.execute(text("SELECT count(*) FROM attempts WHERE round_id = :r AND submitted_at IS NOT NULL "
                                     "AND score IS NULL"), {"r": round_id}).scalar()
        # the storm's students submit (the saturation students, usernames from b{STUDENTS}, never do); those who
        # had not when the storm's time cap (BENCH_DURATION) ended it were still waiting for an overloaded server
        unsubmitted = conn.execute(text("SELECT count(*) FROM attempts a JOIN users u ON u.id = a.user_id "
                                        "WHERE a.round_id = :r AND u.username < :last AND a.submitted_at IS NULL"),
                                   {"r": round_id, "last": f"b{STUDENTS:06d}"}).scalar()
    engine.dispose()
    lost = 0
    latest: dict[tuple, int] = {}
    for attempt_id, question_id, seq, _option, _t in acks:
        latest[(attempt_id, question_id)] = max(seq, latest.get((attempt_id, question_id), 0))
    for key, seq in latest.items():
        if key not in stored or stored[key][0] < seq:
            lost += 1
    return {"attempts": attempts, "duplicate_attempts": duplicates, "unscored_attempts": unscored,
            "storm_attempts_not_submitted": unsubmitted,
            "acknowledged_saves": len(acks), "lost_saves": lost}


def main() -> int:
    began = time.time()
    RESULTS.mkdir(exist_ok=True)
    for old in [*RESULTS.glob("locust-*"), *RESULTS.glob("acks*.jsonl"), *RESULTS.glob("starts*.jsonl")]:
        old.unlink()
    (RESULTS / "gunicorn.log").write_text("")
    ack_file, start_file = RESULTS / "acks.jsonl", RESULTS / "starts.jsonl"
    ensure_database()
    flush_redis()
    from bench.seed import PASSWORD, seed

    report: dict = {"students": STUDENTS, "save_rate_offered": SAVE_RATE, "release_spread_s": SPREAD,
                    "gunicorn": gunicorn_settings(), "cores": os.cpu_count(), "load_average": {"before": loadavg()}}
    log(f"seeding {STUDENTS} + {SATURATE_USERS} students in {DATABASE_URL} (load average {loadavg()})")
    seeded = seed(DATABASE_URL, STUDENTS + SATURATE_USERS)
    report["questions"] = seeded["questions"]
    app_env = {"QUIZ_ENV": "production", "QUIZ_SECRET_KEY": "bench-secret", "QUIZ_DATABASE_URL": DATABASE_URL,
               "QUIZ_REDIS_URL": REDIS_URL, "QUIZ_SECURE_COOKIES": "0", "QUIZ_PROXY_FIX": "0"}
    server = Server("wsgi:app", app_env)
    try:
        login_seconds = max(10.0, STUDENTS / LOGIN_RATE)
        # logins answer slower than they are sent on a busy machine: wait long enough that every student is
        # logged in before the release, so that the release (within BENCH_SPREAD) is the storm
        release_at = time.time() + login_seconds + max(10.0, login_seconds / 2)
        log(f"storm: {STUDENTS} students log in over {login_seconds:.0f}s, released within {SPREAD:.0f}s, "
            f"autosave offered at {SAVE_RATE:.0f}/s")
        started = time.time()
        storm = locust("storm", server.url, STUDENTS, STUDENTS / login_seconds, DURATION,
                       {"BENCH_ROUND_ID": str(seeded["round_id"]), "BENCH_RELEASE_AT": str(release_at),
                        "BENCH_SPREAD": str(SPREAD), "BENCH_SAVE_RATE": str(SAVE_RATE), "BENCH_PASSWORD": PASSWORD,
                        "BENCH_ACK_FILE": str(ack_file), "BENCH_START_FILE": str(start_file)})
        report["storm_seconds"] = round(time.time() - started, 1)
        report["load_average"]["after_storm"] = loadavg()
        acks = read_acks(ack_file)
        report["endpoints"] = storm
        report["autosave_storm"] = {"offered_rps": SAVE_RATE, "acknowledged": len(acks),
                                    "peak_5s_rps": window_rate([a[4] for a in acks])}
        report["start_storm"] = start_storm(start_file, release_at)
    finally:
        server.stop()  # an overloaded storm leaves requests queued: a fresh server measures the ceiling alone
    server = Server("wsgi:app", app_env)
    try:
        log(f"saturation: {SATURATE_USERS} students × {SATURATE_PACE}/s against the app")
        spawn = max(1.0, SATURATE_USERS / LOGIN_RATE)
        split_before = server.cpu_split()
        cpu_before = sum(split_before)
        window = CpuWindow(server, spawn + 5)
        app_sat = locust("saturate-app", server.url, SATURATE_USERS, SATURATE_USERS / spawn,
                         int(spawn + SATURATE_SECONDS + 5),
                         {"BENCH_ROUND_ID": str(seeded["round_id"]), "BENCH_PASSWORD": PASSWORD,
                          "BENCH_SATURATE_PACE": str(SATURATE_PACE),
                          "BENCH_ACK_FILE": str(RESULTS / "acks-saturate.jsonl"), "BENCH_USER_OFFSET": str(STUDENTS)})
        report["load_average"]["after_saturate_app"] = loadavg()
        sat_acks = read_acks(RESULTS / "acks-saturate.jsonl")
        app_cpu = cpu_per_save(server, cpu_before, len(sat_acks))  # logins included: a slight overestimate
        app_split = cpu_split_per_save(server, split_before, len(sat_acks))
        app_steady = window.stop(sat_acks)
    finally:
        server.stop()
    report["correctness"] = check_database(seeded["round_id"], acks + sat_acks)
    floor = Server("bench.floor_app:app", app_env)
    try:
        log("saturation: floor (cookie check + UPSERT)")
        split_before = floor.cpu_split()
        cpu_before = sum(split_before)
        window = CpuWindow(floor, spawn + 5)
        floor_sat = locust("saturate-floor", floor.url, SATURATE_USERS, SATURATE_USERS / spawn,
                           int(spawn + SATURATE_SECONDS + 5),
                           {"BENCH_ACK_FILE": str(RESULTS / "acks-floor.jsonl"),
                            "BENCH_SATURATE_PACE": str(SATURATE_PACE)})
        report["load_average"]["after_floor"] = loadavg()
        floor_acks = read_acks(RESULTS / "acks-floor.jsonl")
        floor_cpu = cpu_per_save(floor, cpu_before, len(floor_acks))
        floor_split = cpu_split_per_save(floor, split_before, len(floor_acks))
        floor_steady = window.stop(floor_acks)
    finally:
        floor.stop()
    # throughput at saturation: the best 5 s window of acknowledged saves (logins excluded)
    app_rps = window_rate([a[4] for a in sat_acks])
    floor_rps = window_rate([a[4] for a in floor_acks])
    report["saturation"] = {"offered_rps": round(SATURATE_USERS * SATURATE_PACE), "app_autosave_rps": app_rps,
                            "floor_rps": floor_rps, "floor_ratio": round(app_rps / floor_rps, 2) if floor_rps else None,
                            # CPU milliseconds per acknowledged save, gunicorn + PostgreSQL backends: independent of
                            # what else runs on the machine; 2 cores give at most 2000 / this saves per second
                            "app_cpu_ms_per_save": app_cpu, "floor_cpu_ms_per_save": floor_cpu,
                            "app_cpu_split": app_split, "floor_cpu_split": floor_split,
                            # the same from 5 s after the last login to the end: the saves alone
                            "app_cpu_steady": app_steady, "floor_cpu_steady": floor_steady,
                            "app_autosave": app_sat.get("PUT answer (saturate)"), "floor": floor_sat.get("PUT floor save")}
    scale = ROOT / "bench" / "leaderboard_scale.py"
    if scale.exists() and os.environ.get("BENCH_LB_SIZES", "x") != "":
        log("leaderboard scale (bench/leaderboard_scale.py)")
        with open(RESULTS / "leaderboard.log", "w") as err:
            out = subprocess.run([sys.executable, str(scale)], cwd=ROOT, stdout=subprocess.PIPE, stderr=err, text=True,
                                 env={**os.environ, "BENCH_REDIS_URL": REDIS_URL, "BENCH_DATABASE_URL": DATABASE_URL})
        try:
            report["leaderboard"] = json.loads(out.stdout.strip().splitlines()[-1])
        except (ValueError, IndexError):
            report["leaderboard"] = {"error": (RESULTS / "leaderboard.log").read_text()[-500:]}
        report["load_average"]["after_leaderboard"] = loadavg()
    report["total_seconds"] = round(time.time() - began)
    (RESULTS / "latest.json").write_text(json.dumps(report, indent=2, ensure_ascii=False))
    summary = markdown(report)
    (RESULTS / "latest.md").write_text(summary)
    print(summary)
    c = report["correctness"]
    return 0 if c["lost_saves"] == 0 and c["duplicate_attempts"] == 0 and c["unscored_attempts"] == 0 else 1


def gunicorn_settings() -> dict:
    namespace: dict = {}
    exec((ROOT / "deploy/gunicorn.conf.py").read_text(), namespace)  # the settings the servers will use
    return {k: namespace.get(k) for k in ("worker_class", "workers", "threads")}


def cpu_ratio(sat: dict) -> float | None:
    app, floor = sat.get("app_cpu_ms_per_save"), sat.get("floor_cpu_ms_per_save")
    return round(floor / app, 2) if app and floor else None


def _ok(value: bool) -> str:
    return "✅" if value else "❌"


def markdown(r: dict) -> str:
    g, st, sat, c = r["gunicorn"], r["start_storm"], r["saturation"], r["correctness"]
    storm_save = r["endpoints"].get("PUT answer", {})
    lines = [f"# Benchmark {time.strftime('%Y-%m-%d %H:%M')} — {r['students']} students, {r['cores']} cores",
             "", f"gunicorn {g['worker_class']} × {g['workers']} workers × {g['threads']} threads; "
             f"load average before {r['load_average']['before']}, after the storm "
             f"{r['load_average'].get('after_storm')}; whole run {r.get('total_seconds')} s", "",
             "## Storm (open model)", "",
             "| endpoint | requests | errors | rps (avg) | p50 ms | p95 ms | p99 ms |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for name, s in r["endpoints"].items():
        lines.append(f"| {name} | {s['requests']} | {s['errors']} | {s['throughput_rps']} | {s['p50_ms']:.0f} | "
                     f"{s['p95_ms']:.0f} | {s['p99_ms']:.0f} |")
    a = r["autosave_storm"]
    lines += ["", "## Figures against the targets", "", "| figure | measured | target | |", "|---|---:|---:|---|",
              f"| autosave offered (storm) | {a['offered_rps']:.0f}/s, peak acknowledged {a['peak_5s_rps']}/s | "
              f"≥1,500/s | {_ok(a['peak_5s_rps'] >= 1500)} |",
              f"| autosave p95 / p99 (storm) | {storm_save.get('p95_ms')} / {storm_save.get('p99_ms')} ms | "
              f"≤100 / ≤250 ms | {_ok((storm_save.get('p95_ms') or 1e9) <= 100 and (storm_save.get('p99_ms') or 1e9) <= 250)} |",
              f"| autosave errors (storm) | {storm_save.get('errors')} | 0 | {_ok(storm_save.get('errors') == 0)} |",
              f"| autosave ceiling (saturation, best 5 s) | {sat['app_autosave_rps']}/s of {sat['offered_rps']}/s "
              f"offered | ≥1,500/s | {_ok(sat['app_autosave_rps'] >= 1500)} |",
              f"| floor (cookie check + UPSERT) | {sat['floor_rps']}/s | | |",
              f"| CPU per save, gunicorn + PostgreSQL: app / floor | {sat['app_cpu_ms_per_save']} / "
              f"{sat['floor_cpu_ms_per_save']} ms (CPU ratio {cpu_ratio(sat)}; app {sat['app_cpu_split']}, floor "
              f"{sat['floor_cpu_split']}) | | |",
              f"| CPU per save once logged in (gunicorn + PostgreSQL): app / floor | "
              f"{(sat['app_cpu_steady'] or {}).get('total')} / {(sat['floor_cpu_steady'] or {}).get('total')} ms "
              f"(app {sat['app_cpu_steady']}, floor {sat['floor_cpu_steady']}) | | |",
              f"| autosave / floor | {sat['floor_ratio']} | ≥0.75 | {_ok((sat['floor_ratio'] or 0) >= 0.75)} |",
              f"| start storm: started / students | {st.get('started')} / {st['students']} "
              f"({st.get('logged_in_before_release')} logged in before the release, released within "
              f"{st.get('release_window_s')} s) | all | {_ok(st.get('started') == st['students'])} |",
              f"| start storm: last attempt after the release | {st.get('all_started_within_s')} s (start p50 "
              f"{st.get('start_p50_ms')} ms, p99 {st.get('start_p99_ms')} ms) | ≤30 s | {_ok(bool(st.get('target_met')))} |",
              f"| lost saves | {c['lost_saves']} of {c['acknowledged_saves']} acknowledged | 0 | {_ok(c['lost_saves'] == 0)} |",
              f"| duplicate attempts | {c['duplicate_attempts']} ({c['attempts']} attempts) | 0 | "
              f"{_ok(c['duplicate_attempts'] == 0)} |",
              f"| submitted attempts without a score | {c['unscored_attempts']} | 0 | {_ok(c['unscored_attempts'] == 0)} |",
              f"| storm students who had not submitted when the storm ended ({r.get('storm_seconds')} s, cap "
              f"{DURATION} s) | {c['storm_attempts_not_submitted']} | 0 | {_ok(c['storm_attempts_not_submitted'] == 0)} |"]
    lb = r.get("leaderboard")
    if lb and "sizes" in lb:
        lines += ["", "## Leaderboard (Redis, real code)", "",
                  "| entries | own rank p50 / p95 ms | top-50 p50 / p95 ms | page + own row p95 ms | rebuild from DB s | Redis MB |",
                  "|---:|---:|---:|---:|---:|---:|"]
        for size, s in lb["sizes"].items():
            lines.append(f"| {int(size):,} | {s['own_rank']['p50_ms']} / {s['own_rank']['p95_ms']} | "
                         f"{s['top50']['p50_ms']} / {s['top50']['p95_ms']} | {s['page_and_me']['p95_ms']} | "
                         f"{s['rebuild_s']} | {s['redis_memory_mb']} |")
        ratio = lb.get("ratio_largest_to_smallest")
        if ratio:
            big = max(lb["sizes"], key=int)
            worst = max(lb["sizes"][big]["own_rank"]["p95_ms"], lb["sizes"][big]["top50"]["p95_ms"])
            lines += ["", f"Largest/smallest ({ratio['sizes']}): own rank p50 ×{ratio['own_rank_p50']}, p95 "
                      f"×{ratio['own_rank_p95']}; top-50 p50 ×{ratio['top50_p50']}, p95 ×{ratio['top50_p95']} "
                      f"(target ≤2 {_ok(max(ratio['own_rank_p50'], ratio['top50_p50']) <= 2)}); p95 at "
                      f"{int(big):,}: {worst} ms (target ≤10 ms {_ok(worst <= 10)})"]
    elif lb:
        lines += ["", f"Leaderboard: {lb}"]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
