"""Helpers for starting local servers in tests and benchmarks (loopback only)."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
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


@contextmanager
def fake_llm(workdir: Path, chunks: int, chunk_delay_ms: int) -> Iterator[dict[str, str]]:
    """A local OpenAI-compatible server; yields the settings that point `coach serve` at it."""
    port = free_port()
    log_path = workdir / f"fake-{port}.log"
    with log_path.open("w") as log:
        fake = subprocess.Popen(
            [sys.executable, "-m", "coach.testing.fake_openai", "--port", str(port), "--ttft-ms", "50", "--chunks", str(chunks), "--chunk-delay-ms", str(chunk_delay_ms)],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_ready(f"http://127.0.0.1:{port}/v1/models", fake, log_path)
        yield {"COACH_MODEL": "openai/fake-model", "COACH_API_BASE": f"http://127.0.0.1:{port}/v1", "COACH_API_KEY": "sk-fake-key"}
    finally:
        fake.terminate()
        fake.wait(10)
