"""`tradewar serve` as a real process: the installed console script binds a port, serves the page
and the JSON API (a real run on real data included), and stops cleanly on Ctrl-C (SIGINT).

tests/web/test_serve.py checks the command's options with uvicorn replaced; this file is the
end-to-end counterpart -- nothing here is patched.
"""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

TRADEWAR = Path(sys.executable).with_name("tradewar")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get(url: str, data: bytes | None = None) -> tuple[int, bytes]:
    headers = {"Content-Type": "application/json"} if data is not None else {}
    request = urllib.request.Request(url, data=data, headers=headers)
    with urllib.request.urlopen(request, timeout=120) as response:
        return response.status, response.read()


@pytest.fixture
def server(tmp_path):
    assert TRADEWAR.is_file(), f"{TRADEWAR} missing: install with scripts/setup.sh --test"
    port = _free_port()
    proc = subprocess.Popen([str(TRADEWAR), "serve", "--port", str(port), "--workers", "1"],
                            cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    # wait for the port: up to 60 s (start-up is ~2 s; 30x for a loaded 2-core machine) -- a
    # hang guard, not a speed check
    for _ in range(600):
        if proc.poll() is not None:
            pytest.fail(f"tradewar serve exited with {proc.returncode}: {proc.stdout.read()}")
        try:
            _get(base + "/api/health")
            break
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.1)
    else:
        proc.kill()
        pytest.fail("tradewar serve did not answer on its port within 60 s")
    yield proc, base
    if proc.poll() is None:
        proc.kill()
        proc.wait(timeout=30)


def test_serve_answers_the_page_and_a_real_run_then_stops_on_ctrl_c(server) -> None:
    proc, base = server
    status, page = _get(base + "/")
    assert status == 200 and b"<html" in page.lower()
    status, body = _get(base + "/api/scenarios")
    assert status == 200 and "us-china-april-11" in {s["name"] for s in json.loads(body)}
    request = json.dumps({"scenario": "us-china-april-11", "regions": "g14"}).encode()
    status, body = _get(base + "/api/run", data=request)
    run = json.loads(body)
    assert status == 200 and run["solver"]["converged"] is True
    assert run["countries"]["USA"]["welfare_pct"] < 0 and run["countries"]["CHN"]["welfare_pct"] < 0
    with pytest.raises(urllib.error.HTTPError) as bad:
        _get(base + "/api/run", data=json.dumps({"scenario": "no-such-scenario"}).encode())
    assert bad.value.code == 422
    proc.send_signal(signal.SIGINT)
    out, _ = proc.communicate(timeout=60)   # hang guard; a clean stop takes about a second
    assert proc.returncode == 0, out
    assert "Traceback" not in out
