"""Record the golden outputs of the refactoring guard.

This GUARDS BEHAVIOUR, IT VALIDATES NOTHING: the goldens are whatever the code produced when
they were recorded, right or wrong. They were first recorded from the code as it was before the
restructuring of issue 10 (a pristine copy of commit 7249ecc), with::

    PYTHONPATH=/work/pristine/src .venv/bin/python tests/refactor_guard/make_golden.py

When behaviour is changed ON PURPOSE (e.g. a built-in scenario now uses the tariffs actually in
force), regenerate only the affected cases from the current code and say why in the commit::

    .venv/bin/python tests/refactor_guard/make_golden.py --only run-us-china-april-11
    git commit -m "refactor guard: re-record run-us-china-april-11 (built-in now uses the
    tariffs in force, issue 11)" -- tests/refactor_guard/golden

``--check`` re-runs the cases (all, or ``--only``) and lists those that differ from their
goldens, writing nothing — to see which cases a deliberate change moves before re-recording
exactly those. ``--list`` prints the case names (``run-<scenario>`` for each built-in, ``csv-...``,
``exposure-...``, ``optimal-USA``, ``nash-g14``, ``talks-g14``, ``coalitions-<preset>``,
``escalation``, ``sweep-seeded``). Each golden is one gzipped JSON file in ``golden/``;
``golden/MANIFEST.json`` records when and from which code each was made.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repo root, for tests.*

from tests.refactor_guard._cases import CASES, GOLDEN, compare, golden_path, run_case  # noqa: E402


def _commit(src: Path) -> str:
    try:
        out = subprocess.run(["git", "-C", str(src), "rev-parse", "--short", "HEAD"],
                             capture_output=True, text=True, check=False)
        return out.stdout.strip() or "unknown"
    except OSError:
        return "unknown"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", nargs="+", metavar="CASE", help="re-record only these cases")
    parser.add_argument("--list", action="store_true", help="list the case names and exit")
    parser.add_argument("--why", default="", help="why the goldens are re-recorded (MANIFEST)")
    parser.add_argument("--check", action="store_true",
                        help="list the cases that differ from their goldens; write nothing")
    args = parser.parse_args(argv)
    if args.list:
        print("\n".join(CASES))
        return 0
    names = args.only or list(CASES)
    unknown = [n for n in names if n not in CASES]
    if unknown:
        parser.error(f"unknown case(s) {', '.join(unknown)}; allowed: {', '.join(CASES)}")
    if args.check:
        changed = 0
        for name in names:
            golden = json.loads(gzip.decompress(golden_path(name).read_bytes()))
            differences = compare(golden, run_case(name))
            changed += bool(differences)
            print(f"{name}: {'CHANGED, ' + str(len(differences)) + ' differences, e.g. ' + differences[0] if differences else 'unchanged'}")
        return 1 if changed else 0
    import tradewar

    source = Path(tradewar.__file__).resolve().parent
    GOLDEN.mkdir(exist_ok=True)
    manifest_path = GOLDEN / "MANIFEST.json"
    manifest = json.loads(manifest_path.read_text()) if manifest_path.exists() else {}
    for name in names:
        payload = run_case(name)
        text = json.dumps(payload, indent=None, sort_keys=True, separators=(",", ":"))
        golden_path(name).write_bytes(gzip.compress(text.encode("utf-8"), mtime=0))
        manifest[name] = {
            "argv": ["tradewar", *CASES[name][0]],
            "recorded": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "code": f"{source} (git {_commit(source)})",
            "why": args.why or "initial recording (code before issue 10)",
        }
        print(f"recorded {name}")
    manifest_path.write_text(json.dumps(dict(sorted(manifest.items())), indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
