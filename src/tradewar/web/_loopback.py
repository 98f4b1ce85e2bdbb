"""The app served by uvicorn in a thread on a free port of 127.0.0.1 (tests and load benchmark)."""

from __future__ import annotations

import socket
import threading
import time
from typing import Any


class LoopbackServer:
    """``with LoopbackServer(app) as server: … server.url …`` — loopback only, stops on exit."""

    def __init__(self, app: Any, *, start_timeout: float = 60.0):
        import uvicorn

        self.app = app
        self.start_timeout = start_timeout
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]},
                                       name="tradewar-loopback", daemon=True)

    def __enter__(self) -> LoopbackServer:
        self.thread.start()
        deadline = time.monotonic() + self.start_timeout
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the server did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=15)
        self.sock.close()
