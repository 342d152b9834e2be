"""Latency against a running gunicorn, as ratios to /health measured in the same run.

Each run times /health, then every target, then /health again; a run whose two baselines
differ by more than the allowed drift is discarded (the machine got busier or quieter halfway).
One extra run may replace a discarded one; more would stretch a noisy run past its time
budget. Numbers are medians over the kept runs; with none kept, the check fails.
"""

from __future__ import annotations

import http.client
import json
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import SplitResult, urlsplit

from bench.weight import weigh

LUA_SCRIPT = Path(__file__).with_name("wrk") / "p95.lua"


@dataclass(frozen=True)
class Target:
    name: str
    url: str
    headers: dict[str, str]  # Cookie for a page, Authorization for the API; none if anonymous
    h1: str  # the heading the test client saw; gunicorn must serve the same (empty: JSON)


@dataclass(frozen=True)
class Sample:
    p50_ms: float
    p95_ms: float
    rps: float
    requests: int
    errors: int


@dataclass
class Run:
    before: Sample
    after: Sample
    samples: dict[str, Sample]
    drift: float
    kept: bool

    @property
    def baseline_ms(self) -> float:
        return (self.before.p95_ms + self.after.p95_ms) / 2


@dataclass(frozen=True)
class Timing:
    p50_ms: float
    p95_ms: float
    ratio: float  # p95 over the same run's baseline p95, median over kept runs
    rps: float


@dataclass
class LatencyResult:
    tool: str
    runs: list[Run] = field(default_factory=list)
    pages: dict[str, Timing] = field(default_factory=dict)
    baseline_ms: float = 0.0  # B: median of the kept runs' /health p95
    stable: bool = False  # False: no run was kept; the numbers shown are not judged
    errors: dict[str, int] = field(default_factory=dict)  # every run, kept or not
    problems: dict[str, str] = field(default_factory=dict)  # targets that could not be timed

    @property
    def kept(self) -> int:
        return sum(run.kept for run in self.runs)


Sampler = Callable[[Target, int], Sample]


def wrk_sample(target: Target, seconds: int) -> Sample:
    """`wrk -t1 -c1`: one request at a time, so the latency is the server's, not a queue's."""
    argv = ["wrk", "-t1", "-c1", f"-d{seconds}s", "--timeout", "10s", "-s", str(LUA_SCRIPT)]
    for name, value in target.headers.items():
        argv += ["-H", f"{name}: {value}"]
    done = subprocess.run([*argv, target.url], capture_output=True, text=True, check=False)
    line = next((ln for ln in done.stdout.splitlines() if ln.startswith("BENCH ")), None)
    if done.returncode or line is None:
        raise RuntimeError(f"wrk failed on {target.url}: {done.stderr.strip() or done.stdout}")
    data = json.loads(line.removeprefix("BENCH "))
    return Sample(
        p50_ms=data["p50_us"] / 1000,
        p95_ms=data["p95_us"] / 1000,
        rps=data["rps"],
        requests=data["requests"],
        errors=data["socket_errors"] + data["status_errors"],
    )


def python_sample(target: Target, seconds: int, connections: int = 1) -> Sample:
    """The stand-in when wrk is missing: slower per request, so compare ratios, not numbers."""
    parts = urlsplit(target.url)
    headers = target.headers
    deadline = time.perf_counter() + seconds
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()

    def load() -> None:
        mine: list[float] = []
        failed = 0
        while (start := time.perf_counter()) < deadline:
            # A new connection per request, as gunicorn's sync workers close each one anyway.
            connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
            try:
                connection.request("GET", _target_path(parts), headers=headers)
                response = connection.getresponse()
                response.read()
                failed += response.status >= 400
            except OSError:
                failed += 1
            finally:
                connection.close()
            mine.append(time.perf_counter() - start)
        with lock:
            latencies.extend(mine)
            errors[0] += failed

    threads = [threading.Thread(target=load) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    ordered = sorted(latencies) or [0.0]
    return Sample(
        p50_ms=_percentile(ordered, 50) * 1000,
        p95_ms=_percentile(ordered, 95) * 1000,
        rps=len(latencies) / seconds,
        requests=len(latencies),
        errors=errors[0],
    )


def _target_path(parts: SplitResult) -> str:
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def _percentile(ordered: list[float], percent: float) -> float:
    """Nearest rank, like wrk's histogram reports it."""
    index = max(0, min(len(ordered) - 1, round(percent / 100 * len(ordered)) - 1))
    return ordered[index]


def choose_tool(preference: str) -> tuple[str, Sampler]:
    if preference in {"auto", "wrk"} and shutil.which("wrk"):
        return "wrk", wrk_sample
    if preference == "wrk":
        raise RuntimeError("wrk is not installed (apt-get install wrk), or use --tool python")
    return "python", python_sample


def verify(target: Target) -> str:
    """Why the target cannot be timed, empty if it can: wrk would happily time a redirect to
    the sign-in page. gunicorn must serve the page the test client saw, heading and all."""
    parts = urlsplit(target.url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        connection.request("GET", _target_path(parts), headers=target.headers)
        response = connection.getresponse()
        body = response.read()
    finally:
        connection.close()
    if response.status != 200:
        return f"answered {response.status}, not 200"
    heading = weigh(body).h1
    return "" if heading == target.h1 else f"shows {heading!r}, not {target.h1!r}"


def measure(
    baseline: Target,
    targets: list[Target],
    *,
    runs: int,
    seconds: int,
    warmup: int,
    max_drift: float,
    tool: str = "auto",
) -> LatencyResult:
    name, sample = choose_tool(tool)
    result = LatencyResult(tool=name)
    if problem := verify(baseline):
        raise RuntimeError(f"{baseline.name} cannot be timed: {problem}")
    for target in targets:
        if problem := verify(target):
            result.problems[target.name] = f"cannot be timed: {problem}"
    targets = [target for target in targets if target.name not in result.problems]

    def timed(target: Target) -> Sample:
        if warmup:
            sample(target, warmup)  # fills caches and connections; thrown away
        return sample(target, seconds)

    while result.kept < runs and len(result.runs) < runs + 1:
        _progress(f"latency run {len(result.runs) + 1} ({result.kept} of {runs} kept so far)")
        before = timed(baseline)
        samples = {target.name: timed(target) for target in targets}
        after = timed(baseline)
        drift = abs(after.p95_ms - before.p95_ms) / max(before.p95_ms, 1e-9)
        result.runs.append(Run(before, after, samples, drift, kept=drift <= max_drift))
        if drift > max_drift:
            _progress(f"  discarded: /health p95 moved {drift:.0%} during the run")
    for target in [baseline, *targets]:
        # A target that now redirects (an expired session, say) would have timed the redirect.
        if problem := verify(target):
            result.problems[target.name] = f"changed while timed: {problem}"
    _summarise(result, baseline.name)
    return result


def _summarise(result: LatencyResult, baseline: str) -> None:
    # Errors count from every run, kept or not: an error is never noise.
    for run in result.runs:
        result.errors[baseline] = (
            result.errors.get(baseline, 0) + run.before.errors + run.after.errors
        )
        for name, sample in run.samples.items():
            result.errors[name] = result.errors.get(name, 0) + sample.errors
    kept = [run for run in result.runs if run.kept]
    # With no stable run, the steadiest one is still shown (never judged): the numbers may tell
    # whether the code or the machine is to blame.
    shown = kept or [min(result.runs, key=lambda run: run.drift)]
    result.stable = bool(kept)
    result.baseline_ms = statistics.median(run.baseline_ms for run in shown)
    base_samples = [s for run in shown for s in (run.before, run.after)]
    result.pages[baseline] = Timing(
        p50_ms=statistics.median(s.p50_ms for s in base_samples),
        p95_ms=result.baseline_ms,
        ratio=1.0,
        rps=statistics.median(s.rps for s in base_samples),
    )
    for name in shown[0].samples:
        result.pages[name] = Timing(
            p50_ms=statistics.median(run.samples[name].p50_ms for run in shown),
            p95_ms=statistics.median(run.samples[name].p95_ms for run in shown),
            ratio=statistics.median(run.samples[name].p95_ms / run.baseline_ms for run in shown),
            rps=statistics.median(run.samples[name].rps for run in shown),
        )


def _progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)
