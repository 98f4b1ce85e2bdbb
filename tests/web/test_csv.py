"""The web's CSV downloads are the CLI's CSV files: both are ``ScenarioResult.tables()``
(issue 10, one result contract), compared byte for byte with ``tradewar run --csv``."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from fastapi.testclient import TestClient

TRADEWAR = Path(sys.executable).with_name("tradewar")


def test_web_csvs_equal_the_cli_csvs(client: TestClient, data_dir, tmp_path) -> None:
    response = client.post("/api/run", json={"scenario": "us-china-ladder-2025", "regions": "g14"})
    assert response.status_code == 200, response.text
    run_id = response.headers["x-run-id"]
    out = tmp_path / "csv"
    done = subprocess.run([str(TRADEWAR), "run", "us-china-ladder-2025", "--regions", "g14",
                           "--data-dir", str(data_dir), "--csv", str(out)],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    assert sorted(p.name for p in out.iterdir()) == sorted(
        f"{t}.csv" for t in ("countries", "bilateral", "sectors", "steps"))
    for table in ("countries", "bilateral", "sectors", "steps"):
        web = client.get(f"/api/runs/{run_id}.csv", params={"table": table})
        assert web.status_code == 200
        assert web.text == (out / f"{table}.csv").read_text(), table
    header = client.get(f"/api/runs/{run_id}.csv").text.splitlines()[0].split(",")
    assert header[:2] == ["country", "welfare_pct"] and len(header) > 11  # every column
