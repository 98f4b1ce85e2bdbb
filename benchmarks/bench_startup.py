"""Start-up benchmarks (issue 10 item 7): how long a person waits for the CLI, whole process.

1. ``tradewar --help``                                             target <= 0.5 s
2. ``tradewar run us-china-april-11`` with the baseline cached      target <= 1.5 s
3. ``python -c "import tradewar.cli"`` (the import alone), and which heavy libraries it loads.

Each figure is the median wall-clock time of ``--repeat`` fresh processes (``subprocess`` from
start to exit, so interpreter start-up, imports, the solve and printing all count). The cache is
warmed by one untimed run first. With ``--peer-src DIR`` the same commands are timed, interleaved,
on another source tree (e.g. the code before the change: ``--peer-src /work/pristine/src``) and
the ratio peer / ours is reported — the figure to trust on a busy machine.

Run: python benchmarks/bench_startup.py [--repeat 7] [--peer-src DIR]
                                        [--json benchmarks/results/startup.json]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from _timing import ROOT, metadata, write_result

HELP_TARGET = 0.5
RUN_TARGET = 1.5
HEAVY = ("jax", "dask", "distributed", "fastapi", "plotly", "scipy", "pandas")

_ENTRY = "import sys\nfrom tradewar.cli import main\nsys.argv[0] = 'tradewar'\nmain()\n"

COMMANDS: dict[str, list[str]] = {
    "help": ["--help"],
    "run_cached": ["run", "us-china-april-11"],
}


#: The peer's own cache directory: the two trees write cache entries of different versions, and
#: sharing one directory would make each rebuild the other's entries inside the timer.
PEER_CACHE = Path.home() / ".cache" / "tradewar-startup-peer"


def _env(src: Path | None) -> dict[str, str]:
    env = dict(os.environ)
    if src is not None:
        env["PYTHONPATH"] = str(src)
        env["TRADEWAR_CACHE_DIR"] = str(PEER_CACHE)
    return env


def _wall(args: list[str], src: Path | None) -> float:
    """Seconds from process start to exit of the CLI entry point with ``args``."""
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", _ENTRY, *args], env=_env(src), cwd=ROOT,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def _import_seconds(src: Path | None) -> tuple[float, list[str]]:
    code = ("import time, json, sys\nt = time.perf_counter()\nimport tradewar.cli\n"
            f"print(json.dumps([time.perf_counter() - t, sorted(m for m in {HEAVY!r} "
            "if m in sys.modules)]))")
    done = subprocess.run([sys.executable, "-c", code], env=_env(src), cwd=ROOT,
                          capture_output=True, text=True, check=True)
    seconds, loaded = json.loads(done.stdout.strip().splitlines()[-1])
    return float(seconds), list(loaded)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--peer-src", type=Path, default=None,
                        help="another source tree to time the same commands on (e.g. the code before)")
    parser.add_argument("--json", type=Path, help="write the figures to this JSON file")
    args = parser.parse_args()
    results: dict[str, object] = metadata("benchmarks/bench_startup.py") | {
        "repeats": args.repeat, "statistic": "median wall-clock seconds of fresh processes"}
    for cmd in COMMANDS.values():  # warm the cache and the OS file cache, untimed
        _wall(cmd, None)
        if args.peer_src is not None:
            _wall(cmd, args.peer_src)
    for name, cmd in COMMANDS.items():
        ours, peer = [], []
        for _ in range(args.repeat):  # interleaved, so a change in load falls on both sides
            ours.append(_wall(cmd, None))
            if args.peer_src is not None:
                peer.append(_wall(cmd, args.peer_src))
        entry: dict[str, object] = {
            "command": "tradewar " + " ".join(cmd),
            "tradewar_seconds": statistics.median(ours),
            "tradewar_all_seconds": ours,
            "target_seconds": HELP_TARGET if name == "help" else RUN_TARGET,
        }
        if peer:
            entry |= {"peer": f"the same command on {args.peer_src}",
                      "peer_seconds": statistics.median(peer), "peer_all_seconds": peer,
                      "ratio": statistics.median(peer) / statistics.median(ours)}
        results[name] = entry
    import_ours = [_import_seconds(None) for _ in range(args.repeat)]
    results["import_cli"] = {
        "statement": "import tradewar.cli",
        "tradewar_seconds": statistics.median(s for s, _ in import_ours),
        "heavy_modules_loaded": import_ours[0][1],
    }
    if args.peer_src is not None:
        import_peer = [_import_seconds(args.peer_src) for _ in range(args.repeat)]
        results["import_cli"] |= {  # type: ignore[operator]
            "peer_seconds": statistics.median(s for s, _ in import_peer),
            "peer_heavy_modules_loaded": import_peer[0][1],
        }
    write_result(args.json, results)


if __name__ == "__main__":
    main()
