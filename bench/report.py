"""docs/benchmarks.md from one `bench_report` run: each endpoint beside its floor, the query
counts at two sizes, the engine and PDF medians, and which of issue 11's targets are met."""

from __future__ import annotations

import os
import platform
import re
from dataclasses import dataclass
from typing import Any

import django
from django.db import connection

from .load import Endpoint, Result

ENGINE_TARGET_MS = 2.0
PDF_TARGET_MS = 1500.0


@dataclass
class Run:
    endpoint: Endpoint
    users: int
    floor: Result
    result: Result

    @property
    def ratio(self) -> float | None:
        """None when the floor got no answer in time (an overloaded machine)."""
        if self.floor.requests_per_s <= 0:
            return None
        return self.result.requests_per_s / self.floor.requests_per_s


def _yes(met: bool) -> str:
    return "met" if met else "**not met**"


def _server_version() -> str:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            return f"PostgreSQL {cursor.fetchone()[0]}"
    import sqlite3

    return f"SQLite {sqlite3.sqlite_version}"


def _load_note(info: dict[str, Any]) -> str:
    cores = os.cpu_count() or 1
    note = (
        f"Load average (1 min) {info['load_before']:.1f} before the run, "
        f"{info['load_after']:.1f} after"
    )
    if max(info["load_before"], info["load_after"]) > cores * 0.75:
        return note + f": other work shared the {cores} cores, so the absolute figures are low."
    return note + "."


def load_table(runs: list[Run]) -> list[str]:
    lines = [
        "| endpoint | users | floor req/s | req/s | ratio | target | p50 ms | p95 ms | p99 ms "
        "| errors |",
        "|---|---:|---:|---:|---:|---|---:|---:|---:|---:|",
    ]
    for run in runs:
        r, ratio = run.result, run.ratio
        met = "no floor" if ratio is None else _yes(ratio >= run.endpoint.target)
        target = f"≥ {run.endpoint.target:g} ({met})"
        lines.append(
            f"| {run.endpoint.name} | {run.users} | {run.floor.requests_per_s:,.0f} "
            f"| {r.requests_per_s:,.0f} | {'n/a' if ratio is None else f'{ratio:.2f}'} "
            f"| {target} | {r.p50_ms:.0f} "
            f"| {r.p95_ms:.0f} | {r.p99_ms:.0f} | {r.errors} |"
        )
    return lines


def engine_figures(output: str) -> tuple[list[tuple[str, float]], float | None]:
    """The engine medians and the PDF median (ms) from `manage.py bench`'s output."""
    engine = [
        (name, float(median))
        for name, median in re.findall(r"rank \+ sensitivity, (.+?): ([\d.]+) /", output)
    ]
    pdf = re.search(r"renders \(ms: median / worst\): ([\d.]+) /", output)
    return engine, float(pdf.group(1)) if pdf else None


def render(info: dict[str, Any], runs: list[Run], queries: dict[int, dict[str, int]],
           engine_output: str) -> str:  # fmt: skip
    engine, pdf = engine_figures(engine_output)
    sizes = sorted(queries)
    lines = [
        "# Benchmarks",
        "",
        "Written by `make bench` (`manage.py bench_report`); a measurement, not a test. Re-run it",
        "to refresh this page. Figures vary from run to run and machine to machine; the ratios,",
        "each taken against the floor measured just before it, are what to compare.",
        "",
        f"Run {info['when']} on {info['machine']}: Python {platform.python_version()}, "
        f"Django {django.get_version()}, {_server_version()}, gunicorn 2 sync workers, wrk in "
        f"another process, {info['seconds']} s per measurement, {info['reviews']:,} reviews in "
        f"{info['teams']} teams (inserted in {info['insert_s']:.1f} s); the user is a reviewer "
        f"of one team ({info['visible']:,} reviews visible). {_load_note(info)}",
        "",
        "**Floor**: `/bench/ok`, a signed-in page that returns `ok` through the same middleware,",
        "session and user lookup as every page. **Ratio** = the endpoint's requests/s ÷ the",
        "floor's. Targets from issue 11: answer save ≥ 0.5, every page ≥ 0.25, search ≥ 0.15.",
        "",
        "## Throughput and latency",
        "",
        *load_table(runs),
        "",
        f"## Queries per request ({' and '.join(f'{n:,}' for n in sizes)} reviews)",
        "",
        "| endpoint | " + " | ".join(f"{n:,} reviews" for n in sizes) + " | grows? |",
        "|---|" + "---:|" * len(sizes) + "---|",
    ]
    for name in queries[sizes[0]]:
        counts = [queries[n][name] for n in sizes]
        grows = "yes" if len(set(counts)) > 1 else "no"
        lines.append(f"| {name} | " + " | ".join(str(c) for c in counts) + f" | {grows} |")
    lines += ["", "## Engine and PDF (medians)", ""]
    for name, median in engine:
        lines.append(
            f"- ranking + sensitivity, {name}: {median:.2f} ms "
            f"(target ≤ {ENGINE_TARGET_MS:g} ms: {_yes(median <= ENGINE_TARGET_MS)})"
        )
    if pdf is not None:
        lines.append(
            f"- decision record PDF render: {pdf:.0f} ms "
            f"(target ≤ {PDF_TARGET_MS:g} ms: {_yes(pdf <= PDF_TARGET_MS)})"
        )
    lines += ["", "`manage.py bench` printed:", "", "```", engine_output.rstrip(), "```", ""]
    return "\n".join(lines)
