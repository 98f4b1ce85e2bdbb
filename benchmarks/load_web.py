"""Load test of the web app on loopback: a bounded number of requests from a bounded number of
concurrent clients, mixing cached runs, new runs, jobs and reads. Reports p50/p95 latency by
kind, errors and lost jobs (a job that never reaches a final state, or disappears).

Run: python benchmarks/load_web.py [--requests 500] [--concurrency 20]
                                    [--json benchmarks/results/web_load.json]

The app is started in this process (uvicorn in a thread on a free port of 127.0.0.1) unless
``--url`` names a server already running on this machine; only loopback addresses are
accepted. The mix (fixed seed): 55 % cached runs (built-ins on the full ICIO 2022 baseline,
computed once before timing), 25 % new runs (a US tariff on China whose rate differs per
request, on the 14-region g14 baseline), 10 % jobs (the same, as ``POST /api/jobs`` then
polling until done; the latency is until done), 10 % reads (health, a cached run's JSON).
Stops by itself: at most ``--requests`` requests, and nothing new starts after ``--budget``
seconds.
"""

from __future__ import annotations

import argparse
import ipaddress
import random
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

MIX: tuple[tuple[str, float], ...] = (("cached", 0.55), ("new", 0.25), ("job", 0.10), ("read", 0.10))
CACHED = ("us-china-april-11", "liberation-day", "tpp", "geneva-truce")


@dataclass(frozen=True)
class Outcome:
    kind: str
    ok: bool
    seconds: float
    status: int | None
    error: str | None = None
    lost: bool = False


def is_loopback(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def plan(n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    kinds, weights = zip(*MIX, strict=True)
    return rng.choices(kinds, weights=weights, k=n)


def new_scenario(nonce: str, k: int) -> dict[str, Any]:
    return {"name": f"load-{nonce}-{k}",
            "tariff": [{"importer": "USA", "exporter": "CHN", "add": round(0.10 + 0.0001 * k, 6)}]}


def one(client: httpx.Client, kind: str, k: int, nonce: str, warm_id: str,
        deadline: float) -> Outcome:
    start = time.perf_counter()
    status: int | None = None
    try:
        if kind == "cached":
            r = client.post("/api/run", json={"scenario": CACHED[k % len(CACHED)]})
            status = r.status_code
            ok = status == 200 and r.headers.get("x-cache") == "hit" and bool(r.json()["countries"])
        elif kind == "new":
            r = client.post("/api/run", json={"scenario": new_scenario(nonce, k), "regions": "g14"})
            status = r.status_code
            ok = status == 200 and r.headers.get("x-cache") == "miss" and "USA" in r.json()["countries"]
        elif kind == "read":
            r = client.get("/api/health" if k % 2 else f"/api/runs/{warm_id}.json")
            status = r.status_code
            ok = status == 200
        else:
            r = client.post("/api/jobs", json={"kind": "scenario", "regions": "g14",
                                               "scenario": new_scenario(nonce, k)})
            status = r.status_code
            if status != 202:
                return Outcome(kind, False, time.perf_counter() - start, status, r.text[:200])
            job_id = r.json()["id"]
            while True:
                job = client.get(f"/api/jobs/{job_id}")
                if job.status_code != 200:  # the job disappeared
                    return Outcome(kind, False, time.perf_counter() - start, job.status_code,
                                   f"job {job_id} lost: {job.text[:200]}", lost=True)
                state = job.json()["status"]
                if state not in ("queued", "running"):
                    ok = state == "done" and job.json()["result"]["run_id"] is not None
                    status = 200 if ok else job.json()["error"]["status"]
                    break
                if time.monotonic() > deadline + 60:
                    return Outcome(kind, False, time.perf_counter() - start, None,
                                   f"job {job_id} still {state} after the budget", lost=True)
                time.sleep(0.05)
        error = None if ok else f"{kind}: HTTP {status}: {r.text[:200]}"
        return Outcome(kind, ok, time.perf_counter() - start, status, error)
    except (httpx.HTTPError, KeyError, ValueError) as exc:
        return Outcome(kind, False, time.perf_counter() - start, status, f"{kind}: {exc!r}")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def stats(values: list[float]) -> dict[str, float]:
    if not values:
        return {}
    return {"n": len(values), "p50_ms": round(1000 * percentile(values, 0.50), 1),
            "p95_ms": round(1000 * percentile(values, 0.95), 1),
            "max_ms": round(1000 * max(values), 1)}


def run_load(url: str, requests: int = 500, concurrency: int = 20, seed: int = 0,
             budget: float = 300.0) -> dict[str, Any]:
    """Send the mix to ``url`` (loopback only) and return the report."""
    if not is_loopback(url):
        raise ValueError(f"{url}: the load test targets this machine only (127.0.0.0/8, ::1)")
    nonce = f"{time.time_ns():x}"
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    with httpx.Client(base_url=url, timeout=120, limits=limits) as client:
        warm = [client.post("/api/run", json={"scenario": name}) for name in CACHED]
        for r in warm:
            r.raise_for_status()
        warm_id = warm[0].headers["x-run-id"]
        kinds = plan(requests, seed)
        deadline = time.monotonic() + budget
        started = time.perf_counter()

        def task(k: int) -> Outcome | None:
            if time.monotonic() > deadline:
                return None  # not sent: the budget is spent
            return one(client, kinds[k], k, nonce, warm_id, deadline)

        with ThreadPoolExecutor(concurrency, thread_name_prefix="load") as pool:
            outcomes = list(pool.map(task, range(requests)))
        wall = time.perf_counter() - started
        health = client.get("/api/health").json()
    sent = [o for o in outcomes if o is not None]
    errors = [o for o in sent if not o.ok]
    jobs = [o for o in sent if o.kind == "job"]
    return {
        "url": url, "requests": requests, "sent": len(sent), "concurrency": concurrency,
        "seed": seed, "seconds": round(wall, 2),
        "throughput_rps": round(len(sent) / wall, 1) if wall > 0 else None,
        "errors": len(errors), "error_samples": [o.error for o in errors[:5]],
        "statuses": dict(Counter(str(o.status) for o in sent)),
        "jobs": {"submitted": len(jobs), "done": sum(o.ok for o in jobs),
                 "lost": sum(o.lost for o in jobs)},
        "latency": {"all": stats([o.seconds for o in sent]),
                    **{kind: stats([o.seconds for o in sent if o.kind == kind]) for kind, _ in MIX}},
        "server": {"pool": health["pool"], "cache": health["cache"], "jobs": health["jobs"]},
    }




def print_report(report: dict[str, Any]) -> None:
    print(f"{report['sent']} of {report['requests']} requests, {report['concurrency']} concurrent, "
          f"{report['seconds']} s ({report['throughput_rps']} requests/s); "
          f"errors {report['errors']}; jobs {report['jobs']}")
    print(f"{'kind':<8} {'n':>5} {'p50 ms':>9} {'p95 ms':>9} {'max ms':>9}")
    for kind, s in report["latency"].items():
        if s:
            print(f"{kind:<8} {s['n']:>5} {s['p50_ms']:>9} {s['p95_ms']:>9} {s['max_ms']:>9}")
    for sample in report["error_samples"]:
        print("error:", sample)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--budget", type=float, default=300.0, help="seconds; then no new request")
    parser.add_argument("--workers", type=int, default=2, help="worker processes of the server")
    parser.add_argument("--url", help="a server already running on this machine (loopback)")
    parser.add_argument("--json", type=Path, help="write the report here")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(Path(__file__).resolve().parent))  # the benchmarks' shared helper
    from _timing import metadata, write_result

    meta = metadata("benchmarks/load_web.py")
    if not 1 <= args.requests <= 10_000 or not 1 <= args.concurrency <= 200:
        parser.error("--requests must be 1..10000 and --concurrency 1..200")
    if args.url and not is_loopback(args.url):
        parser.error("--url must be a loopback address (127.0.0.0/8, localhost, ::1)")
    if args.url:
        report = run_load(args.url, args.requests, args.concurrency, args.seed, args.budget)
    else:
        from tradewar.web import create_app
        from tradewar.web._loopback import LoopbackServer

        app = create_app(workers=args.workers, max_queue=max(32, 2 * args.concurrency))
        with LoopbackServer(app) as server:
            report = run_load(server.url, args.requests, args.concurrency, args.seed, args.budget)
    report = meta | report
    print_report(report)
    write_result(args.json, report)
    return 0 if report["errors"] == 0 and report["jobs"]["lost"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
