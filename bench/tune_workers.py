"""Which gunicorn worker class and count: the app's autosave ceiling under each setting, back to back.

    .venv/bin/python bench/tune_workers.py "gthread:4:4" "gthread:2:8" "sync:4:1" "gevent:2:1"

Each argument is ``worker_class:workers:threads``. For each, a fresh round is seeded, the app served with
deploy/gunicorn.conf.py and those overrides, and BENCH_SATURATE_USERS students save at BENCH_SATURATE_PACE/s
each (as ``make bench``'s saturation phase). Prints one line per setting with the load average, and a JSON line.
The figures of docs/performance.md come from it."""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import run  # noqa: E402


def trial(setting: str) -> dict:
    worker_class, workers, threads = setting.split(":")
    from bench.seed import PASSWORD, seed

    run.flush_redis()
    seeded = seed(run.DATABASE_URL, run.SATURATE_USERS)
    ack_file = run.RESULTS / "acks-tune.jsonl"
    ack_file.unlink(missing_ok=True)
    env = {"QUIZ_ENV": "production", "QUIZ_SECRET_KEY": "bench-secret", "QUIZ_DATABASE_URL": run.DATABASE_URL,
           "QUIZ_REDIS_URL": run.REDIS_URL, "QUIZ_SECURE_COOKIES": "0", "QUIZ_PROXY_FIX": "0",
           "GUNICORN_WORKER_CLASS": worker_class, "GUNICORN_WORKERS": workers, "GUNICORN_THREADS": threads}
    server = run.Server("wsgi:app", env)
    before = run.loadavg()
    try:
        spawn = max(1.0, run.SATURATE_USERS / run.LOGIN_RATE)
        cpu_before = server.cpu()
        stats = run.locust("saturate-app", server.url, run.SATURATE_USERS, run.SATURATE_USERS / spawn,
                           int(spawn + run.SATURATE_SECONDS + 5),
                           {"BENCH_ROUND_ID": str(seeded["round_id"]), "BENCH_PASSWORD": PASSWORD,
                            "BENCH_SATURATE_PACE": str(run.SATURATE_PACE), "BENCH_ACK_FILE": str(ack_file)})
        acks = run.read_acks(ack_file)
        cpu = run.cpu_per_save(server, cpu_before, len(acks))
    finally:
        server.stop()
    save = stats.get("PUT answer (saturate)", {})
    return {"setting": setting, "saves_per_s": run.window_rate([a[4] for a in acks]), "cpu_ms_per_save": cpu,
            "p50_ms": save.get("p50_ms"), "p95_ms": save.get("p95_ms"), "errors": save.get("errors"),
            "offered": round(run.SATURATE_USERS * run.SATURATE_PACE), "load_before": before, "load_after": run.loadavg()}


def main() -> int:
    run.RESULTS.mkdir(exist_ok=True)
    run.ensure_database()
    out = []
    for setting in sys.argv[1:] or ["gthread:4:4", "gthread:2:8", "sync:4:1"]:
        result = trial(setting)
        out.append(result)
        print(f"[tune {time.strftime('%H:%M:%S')}] {result}", flush=True)
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
