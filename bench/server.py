"""gunicorn as production runs it, on a free loopback port, for the length of a `with` block.

It runs in its own session, so Ctrl-C reaches only the harness, whose `finally` then stops it:
a server left behind would skew the next run and hold the port.
"""

from __future__ import annotations

import http.client
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bench.environment import BENCH_DIR, ROOT, BenchSetupError

LOG_FILE = BENCH_DIR / "gunicorn.log"


def free_port() -> int:
    # The kernel picks; the tiny window before gunicorn binds it is acceptable on loopback.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def gunicorn(env: dict[str, str], *, workers: int) -> Iterator[str]:
    """Yield the base URL of a running gunicorn; stop it however the block ends."""
    binary = Path(sys.executable).with_name("gunicorn")
    if not binary.is_file():
        raise BenchSetupError(f"{binary} is missing; run `make install`")
    port = free_port()
    argv = [
        str(binary), "config.wsgi",
        "--workers", str(workers),
        "--bind", f"127.0.0.1:{port}",
        "--no-control-socket",  # gunicorn 24+ would share a socket under ~/.gunicorn
        "--error-logfile", "-",
        "--log-level", "warning",
        "--timeout", "30",
        "--graceful-timeout", "5",
    ]  # fmt: skip
    with LOG_FILE.open("w", encoding="utf-8") as log:
        process = subprocess.Popen(
            argv, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            _wait_until_ready(process, port)
            yield f"http://127.0.0.1:{port}"
        finally:
            _stop(process)


def _wait_until_ready(process: subprocess.Popen[bytes], port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise BenchSetupError(f"gunicorn exited with {process.returncode}; see {LOG_FILE}")
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        try:
            connection.request("GET", "/health")
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        finally:
            connection.close()
        time.sleep(0.1)
    raise BenchSetupError(f"gunicorn did not answer /health within {timeout:.0f} s; see {LOG_FILE}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    process.terminate()  # graceful: the master stops its workers
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
