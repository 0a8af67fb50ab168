"""A real `backbone serve` process for tests that need one (concurrency, kill -9, memory)."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx

BACKBONE = str(Path(sys.executable).parent / "backbone")


@dataclass
class Server:
    url: str
    process: subprocess.Popen
    started_in: float = 0.0  # seconds from launch to the first answer of /health

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def peak_memory_kib(self) -> int:
        """The process's peak resident memory (VmHWM) in KiB."""
        return self.memory_kib("VmHWM")

    def memory_kib(self, field: str = "VmRSS") -> int:
        """The process's resident memory now (VmRSS) or at its peak (VmHWM), in KiB."""
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith(f"{field}:"):
                return int(line.split()[1])
        raise RuntimeError(f"no {field}")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def running_server(
    database_url: str, data_dir: Path, *, start_seconds: float = 60, **settings: str
) -> Iterator[Server]:
    port = free_port()
    env = {
        **os.environ,
        "BACKBONE_MODE": "development",
        "BACKBONE_DATABASE_URL": database_url,
        "BACKBONE_DATA_DIR": str(data_dir),
        **{f"BACKBONE_{k.upper()}": v for k, v in settings.items()},
    }
    log = (data_dir / f"server-{port}.log").open("w")
    process = subprocess.Popen(
        [BACKBONE, "serve", "--no-migrate", "--port", str(port)], env=env, stdout=log, stderr=subprocess.STDOUT
    )
    server = Server(url=f"http://127.0.0.1:{port}", process=process)
    try:
        launched = time.monotonic()
        deadline = launched + start_seconds
        while True:
            try:
                if httpx.get(f"{server.url}/api/v1/health", timeout=2).status_code == 200:
                    server.started_in = time.monotonic() - launched
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError((data_dir / f"server-{port}.log").read_text())
            time.sleep(0.1)
        yield server
    finally:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=20)
        log.close()
