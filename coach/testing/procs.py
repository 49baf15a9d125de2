"""Helpers for starting local servers in tests and benchmarks (loopback only)."""

from __future__ import annotations

import socket
import subprocess
import time
from pathlib import Path

import httpx


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_ready(url: str, proc: subprocess.Popen, log: Path | None = None, timeout: float = 120) -> None:
    """Poll `url` until it answers 200; fail early, with the process's log, if it exits."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            detail = f":\n{log.read_text()}" if log and log.exists() else ""
            raise RuntimeError(f"{proc.args} exited with {proc.returncode}{detail}")
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} not ready after {timeout}s")
