"""Load generation: gunicorn (2 sync workers) in one process, wrk in another, both on
127.0.0.1; each endpoint is measured right after the floor view, with the same tool, users
and duration, so the ratio between them is what this machine's noise leaves comparable."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

LUA = """
wrk.method = "{method}"
wrk.headers["Cookie"] = "sessionid={session}; csrftoken={csrf}"
wrk.headers["X-CSRFToken"] = "{csrf}"
{headers}
local paths = {{ {paths} }}
local bodies = {{ {bodies} }}
local n = 0
request = function()
  n = n + 1
  local k = (n % #paths) + 1
  return wrk.format(nil, paths[k], nil, bodies[k])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('BENCH {{"requests":%d,"duration_us":%d,"p50":%d,"p95":%d,' ..
    '"p99":%d,"errors":%d}}\\n', summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(95), latency:percentile(99),
    e.status + e.connect + e.read + e.write + e.timeout))
end
"""

WRK = shutil.which("wrk") or "/usr/bin/wrk"


@dataclass
class Endpoint:
    name: str
    paths: list[str]
    method: str = "GET"
    bodies: list[str] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)
    target: float = 0.25  # ratio to the floor
    kind: str = "page"


@dataclass
class Result:
    requests_per_s: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    errors: int


def _lua_str(value: str) -> str:
    return json.dumps(value)  # a JSON string is a valid Lua string literal for these


def wrk_script(endpoint: Endpoint, session: str, csrf: str) -> str:
    bodies = endpoint.bodies or [""] * len(endpoint.paths)
    headers = "\n".join(
        f"wrk.headers[{_lua_str(k)}] = {_lua_str(v)}" for k, v in endpoint.headers.items()
    )
    return LUA.format(
        method=endpoint.method,
        session=session,
        csrf=csrf,
        headers=headers,
        paths=", ".join(_lua_str(p) for p in endpoint.paths),
        bodies=", ".join(_lua_str(b) for b in bodies),
    )


def run_wrk(base: str, script: str, users: int, seconds: int) -> Result:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as fh:
        fh.write(script)
    try:
        out = subprocess.run(  # noqa: S603 -- our own arguments
            [WRK, "-t2", f"-c{users}", f"-d{seconds}s", "--timeout", "30s", "-s", fh.name, base],
            capture_output=True, text=True, check=True, timeout=seconds + 60,
        ).stdout  # fmt: skip
    finally:
        os.unlink(fh.name)
    line = next(x for x in out.splitlines() if x.startswith("BENCH "))
    data = json.loads(line[6:])
    return Result(
        requests_per_s=data["requests"] / (data["duration_us"] / 1e6 or 1),
        p50_ms=data["p50"] / 1000,
        p95_ms=data["p95"] / 1000,
        p99_ms=data["p99"] / 1000,
        errors=data["errors"],
    )


def wait_idle(base: str, limit_s: float = 120) -> None:
    """Until the workers have drained the backlog a run left (sync workers go on answering the
    requests wrk gave up on): /healthz answers fast three times in a row."""
    fast, deadline = 0, time.monotonic() + limit_s
    while fast < 3 and time.monotonic() < deadline:
        started = time.monotonic()
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=limit_s):  # noqa: S310
                pass
        except OSError:
            time.sleep(0.2)
            continue
        fast = fast + 1 if time.monotonic() - started < 0.1 else 0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Gunicorn:
    """gunicorn with 2 sync workers on a free loopback port, for a `with` block."""

    def __init__(self, settings: str = "config.settings.bench", workers: int = 2):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.settings = settings
        self.workers = workers
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> Gunicorn:
        gunicorn = Path(sys.executable).with_name("gunicorn")
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": self.settings}
        self.process = subprocess.Popen(  # noqa: S603 -- our own arguments
            [str(gunicorn), "config.wsgi", "-w", str(self.workers), "-b", f"127.0.0.1:{self.port}",
             "--log-level", "warning"],
            env=env,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.base + "/healthz", timeout=2) as response:  # noqa: S310
                    if response.status == 200:
                        return self
            except OSError:
                time.sleep(0.3)
        self.__exit__()
        raise RuntimeError("gunicorn did not answer /healthz within 60 s")

    def __exit__(self, *exc: object) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
