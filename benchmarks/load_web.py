"""Load test of the web app on loopback: a bounded number of requests from a bounded number of
concurrent clients, mixing cached runs, new runs, jobs and reads. Reports p50/p95 latency by
kind, errors and lost jobs (a job that never reaches a final state, or disappears).

Run: python benchmarks/load_web.py [--requests 500] [--concurrency 20]
                                    [--json benchmarks/results/web_load.json]

The app is started in this process (uvicorn in a thread on a free port of 127.0.0.1) unless
``--url`` names a server already running on this machine; only loopback addresses are
accepted. The mix (fixed seed): 45 % cached runs (built-ins on the full ICIO 2022 baseline,
computed once before timing), 25 % new runs (a US tariff on China whose rate differs per
request, on the 14-region g14 baseline), 10 % jobs (the same, as ``POST /api/jobs`` then
polling until done; the latency is until done), 10 % analysis jobs (every job kind the server
registers, in turn, each with the small valid request ``GET /api/options`` lists under
``job_examples``: the first of each computes, the rest come from the result cache; every kind
is sent at least once), 10 % reads (health, a cached run's JSON). Stops by itself: at most
``--requests`` requests, and nothing new starts after ``--budget`` seconds. The server must
still answer (health, a cached run) afterwards.
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

MIX: tuple[tuple[str, float], ...] = (("cached", 0.45), ("new", 0.25), ("job", 0.10),
                                      ("analysis", 0.10), ("read", 0.10))
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


def plan(n: int, seed: int, analyses: int = 0) -> list[str]:
    """The kind of each request; at least ``analyses`` of them ``analysis`` (one per job kind)
    when ``n`` allows (cached runs become analysis jobs first)."""
    rng = random.Random(seed)
    kinds, weights = zip(*MIX, strict=True)
    out = rng.choices(kinds, weights=weights, k=n)
    missing = max(0, min(analyses, n) - out.count("analysis"))
    for k, kind in enumerate(out):
        if missing and kind in ("cached", "read", "new"):
            out[k], missing = "analysis", missing - 1
    return out


def new_scenario(nonce: str, k: int) -> dict[str, Any]:
    return {"name": f"load-{nonce}-{k}",
            "tariff": [{"importer": "USA", "exporter": "CHN", "add": round(0.10 + 0.0001 * k, 6)}]}


def wait_job(client: httpx.Client, job: dict[str, Any], deadline: float
             ) -> tuple[bool, int | None, str | None, bool]:
    """Poll a job until it ends: (done, status, error, lost)."""
    job_id = job["id"]
    while job["status"] in ("queued", "running"):
        if time.monotonic() > deadline + 60:
            return False, None, f"job {job_id} still {job['status']} after the budget", True
        time.sleep(0.05)
        r = client.get(f"/api/jobs/{job_id}")
        if r.status_code != 200:  # the job disappeared
            return False, r.status_code, f"job {job_id} lost: {r.text[:200]}", True
        job = r.json()
    if job["status"] == "done" and job["result"] is not None:
        return True, 200, None, False
    error = job.get("error") or {}
    return False, error.get("status"), f"job {job_id} {job['status']}: {str(error)[:200]}", False


def one(client: httpx.Client, kind: str, k: int, nonce: str, warm_id: str,
        deadline: float, examples: list[tuple[str, dict[str, Any]]] | None = None) -> Outcome:
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
        elif kind == "analysis":
            assert examples, "no job kinds"
            name, body = examples[k % len(examples)]
            r = client.post("/api/jobs", json=body)
            status = r.status_code
            if status != 202:
                return Outcome(f"analysis:{name}", False, time.perf_counter() - start, status,
                               f"{name}: HTTP {status}: {r.text[:200]}")
            ok, status, error, lost = wait_job(client, r.json(), deadline)
            return Outcome(f"analysis:{name}", ok, time.perf_counter() - start, status,
                           None if ok else f"{name}: {error}", lost=lost)
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
        examples = sorted(client.get("/api/options").json()["job_examples"].items())
        kinds = plan(requests, seed, analyses=len(examples))
        # the analysis requests take the kinds in turn (the k-th analysis: kind k mod n)
        turn = {k: j for j, k in enumerate(k for k, kind in enumerate(kinds) if kind == "analysis")}
        deadline = time.monotonic() + budget
        started = time.perf_counter()

        def task(k: int) -> Outcome | None:
            if time.monotonic() > deadline:
                return None  # not sent: the budget is spent
            return one(client, kinds[k], turn.get(k, k), nonce, warm_id, deadline, examples)

        with ThreadPoolExecutor(concurrency, thread_name_prefix="load") as pool:
            outcomes = list(pool.map(task, range(requests)))
        wall = time.perf_counter() - started
        health = client.get("/api/health").json()
        after = client.post("/api/run", json={"scenario": CACHED[0]})  # still answers
        answers_after = (health.get("status") == "ok" and after.status_code == 200
                         and after.headers.get("x-cache") == "hit")
    sent = [o for o in outcomes if o is not None]
    errors = [o for o in sent if not o.ok]
    jobs = [o for o in sent if o.kind == "job"]
    analyses = [o for o in sent if o.kind.startswith("analysis:")]
    by_kind: dict[str, dict[str, int]] = {}
    for o in analyses:
        entry = by_kind.setdefault(o.kind.removeprefix("analysis:"), {"submitted": 0, "done": 0})
        entry["submitted"] += 1
        entry["done"] += o.ok
    return {
        "url": url, "requests": requests, "sent": len(sent), "concurrency": concurrency,
        "seed": seed, "seconds": round(wall, 2),
        "throughput_rps": round(len(sent) / wall, 1) if wall > 0 else None,
        "errors": len(errors), "error_samples": [o.error for o in errors[:5]],
        "statuses": dict(Counter(str(o.status) for o in sent)),
        "jobs": {"submitted": len(jobs), "done": sum(o.ok for o in jobs),
                 "lost": sum(o.lost for o in jobs)},
        "analysis": {"kinds": [name for name, _ in examples], "by_kind": by_kind,
                     "submitted": len(analyses), "done": sum(o.ok for o in analyses),
                     "lost": sum(o.lost for o in analyses)},
        "answers_after": answers_after,
        "latency": {"all": stats([o.seconds for o in sent]),
                    **{kind: stats([o.seconds for o in sent if o.kind.split(":")[0] == kind])
                       for kind, _ in MIX}},
        "server": {"pool": health["pool"], "cache": health["cache"], "jobs": health["jobs"]},
    }




def print_report(report: dict[str, Any]) -> None:
    print(f"{report['sent']} of {report['requests']} requests, {report['concurrency']} concurrent, "
          f"{report['seconds']} s ({report['throughput_rps']} requests/s); "
          f"errors {report['errors']}; jobs {report['jobs']}; analysis jobs "
          f"{report['analysis']['by_kind']}; answers afterwards: {report['answers_after']}")
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
    good = (report["errors"] == 0 and report["jobs"]["lost"] == 0
            and report["analysis"]["lost"] == 0 and report["answers_after"])
    return 0 if good else 1


if __name__ == "__main__":
    sys.exit(main())
