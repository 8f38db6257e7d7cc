"""The notifier's and the evaluation's figures on the national register (issues 15 and 13):
their projections rebuilt beside raw fetch + ack, the zombie scan, eligibility, a round's
close; each service on a database of its own, one nats-server for both."""

from __future__ import annotations

import asyncio
import statistics
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any

from bench import evaluation, notifier, projections
from bench import metrics as metrics_bench
from bench.common import QUICK, Figure, pg_url, prewarm, settle_postgres, vacuum_analyze
from bench.national import Filled
from bench.registry import Latencies
from shared.migrate import upgrade

PROJECTION_EVENTS = 100_000 if QUICK else 300_000  # of the register, rebuilt from the stream
ELIGIBILITY_REQUESTS = 100 if QUICK else 300  # a round
# The figure is the median of the rounds' p99s: a stall of the machine's disk or of its host
# (seen here: a few seconds where the same requests took 10× as long) decides one round's
# p99, not the figure. Each round's p99, and the p99 of all, are in bench/results.json.
ELIGIBILITY_ROUNDS = 3
ROUND_APPLICATIONS = 2_000 if QUICK else 10_000
WEBHOOK_ALERTS = 150 if QUICK else 300  # flagged organizations whose late report is posted
REPORT_RATE = 10.0  # late reports per second (registrations meanwhile: notifier.LOAD_RATE)
RATIO_TARGETS = {
    "notifier_projection_vs_raw_fetch_ack": 0.5,
    "evaluation_projection_vs_raw_fetch_ack": 0.5,
}
# Upper bounds: ms for the latencies, seconds for the scan and the close.
BOUNDS = {
    "zombie_scan_s": 10.0,
    "webhook_p99_ms": 1000.0,
    "eligibility_p99_ms": 20.0,
    "round_close_s": 10.0,
}

Database = Callable[[], AbstractContextManager[str]]


@dataclass
class Measured:
    figures: dict[str, Figure] = field(default_factory=dict)
    served: dict[str, Latencies] = field(default_factory=dict)
    values: dict[str, float] = field(default_factory=dict)
    failed: dict[str, str] = field(default_factory=dict)  # a figure whose run raised: why

    def ratios(self) -> dict[str, float]:
        def r(a: str, b: str) -> float:
            f = self.figures
            return round(f[a].rate / f[b].rate, 3) if f[b].rate else 0.0

        return {
            "notifier_projection_vs_raw_fetch_ack": r(
                "notifier_projection", "notifier_raw_fetch_ack"
            ),
            "evaluation_projection_vs_raw_fetch_ack": r(
                "evaluation_projection", "evaluation_raw_fetch_ack"
            ),
        }

    def targets(self, count: int) -> dict[str, dict[str, Any]]:
        rs = self.ratios()
        out: dict[str, dict[str, Any]] = {
            k: {"target": t, "value": rs[k], "met": rs[k] >= t} for k, t in RATIO_TARGETS.items()
        }
        for k, t in BOUNDS.items():
            if k in self.values:
                v = self.values[k]
                out[k] = {"target": t, "below": True, "value": v, "met": v <= t}
                out[k] |= {"organizations_count": count, "target_organizations": 1_000_000}
        for k, why in self.failed.items():
            out[k] = {"target": BOUNDS[k], "below": True, "value": None, "met": False, "error": why}
        return out

    def table(self) -> str:
        rs = self.ratios()
        lines = [f"{'notifier / evaluation':<40}{'value':>12}   {'reference':<40}{'ratio':>8}"]
        lines.append("-" * 108)
        for side in ("notifier", "evaluation"):
            a, b = self.figures[f"{side}_projection"], self.figures[f"{side}_raw_fetch_ack"]
            key = f"{side}_projection_vs_raw_fetch_ack"
            verdict = "ok" if rs[key] >= RATIO_TARGETS[key] else "MISS"
            lines.append(
                f"{a.name:<40}{a.rate:>10,.0f}/s   {b.name:<32}{b.rate:>8,.0f}/s"
                f"{rs[key]:>8.2f}  ≥0.5 {verdict}"
            )
        for k, t in BOUNDS.items():
            if k in self.values:
                v = self.values[k]
                verdict = "ok" if v <= t else "MISS"
                lines.append(f"{k:<40}{v:>12,.2f}   {'bound ' + format(t, 'g'):<40}  {verdict}")
        for k, why in self.failed.items():
            lines.append(f"{k:<40}{'FAILED':>12}   {why[:60]}")
        return "\n".join(lines)


def measure(
    reads_db: str, filled: Filled, log: Any, database: Database, nats: Database
) -> Measured:
    """Every figure of the two services, on the national register `reads_db` holds."""
    out = Measured()
    note, ev = notifier.notifier_projection(), evaluation.evaluation_projection()
    n = min(PROJECTION_EVENTS, filled.events)
    log(f"notifier and evaluation on the national register (rebuilds of its first {n:,} events)")
    with database() as note_db, database() as eval_db, nats() as nats_url:
        upgrade("notifier", pg_url(note_db))
        upgrade("evaluation", pg_url(eval_db))
        took = asyncio.run(metrics_bench.publish(reads_db, nats_url, n))
        log(f"  published {n:,} events to REGISTRY in {took:.0f}s (direct publish_async)")
        for side, db, projection in (("notifier", note_db, note), ("evaluation", eval_db, ev)):
            m = projections.matching(reads_db, projection, n)
            rebuilt = asyncio.run(projections.rebuild(db, nats_url, projection, m))
            raw = asyncio.run(projections.raw_fetch_ack(nats_url, projection, m))
            out.figures |= {f"{side}_projection": rebuilt, f"{side}_raw_fetch_ack": raw}
            for f in (rebuilt, raw):
                log(f"  {f.name:<44} {f.rate:>9,.0f} events/s ({f.events:,} in {f.seconds:.1f}s)")
        asyncio.run(metrics_bench.purge(nats_url))
        fills = asyncio.run(projections.fill(reads_db, [(note_db, note), (eval_db, ev)], n))
        for side, f in zip(("notifier", "evaluation"), fills.values(), strict=True):
            out.figures[f"{side}_fill"] = f
            log(f"  {f.name:<44} {f.rate:>9,.0f} events/s ({f.events:,} in {f.seconds:.1f}s)")
        _notifier(out, note_db, filled, log)
        _evaluation(out, eval_db, nats_url, filled, log)
    log(
        f"webhook lag: late reports at {REPORT_RATE:g}/s, registrations at {notifier.LOAD_RATE:g}/s"
    )
    with database() as reg_db, database() as hook_db, nats() as nats_url:
        upgrade("registry", pg_url(reg_db))
        upgrade("notifier", pg_url(hook_db))
        lag = asyncio.run(
            notifier.webhook_run(reg_db, hook_db, nats_url, WEBHOOK_ALERTS, REPORT_RATE)
        )
    out.served["webhook"] = lag
    out.values["webhook_p50_ms"] = round(lag.p50_ms, 2)
    out.values["webhook_p99_ms"] = round(lag.p99_ms, 2)
    log(f"  REGISTRY event → webhook 2xx: p50 {lag.p50_ms:.1f} ms, p99 {lag.p99_ms:.1f} ms")
    return out


def _notifier(out: Measured, db: str, filled: Filled, log: Any) -> None:
    scans = asyncio.run(notifier.scan(db, filled.organizations))
    out.served |= scans
    first = scans["zombie_scan"]
    out.values["zombie_scan_s"] = round(first.seconds, 2)
    out.values["zombie_flagged"] = first.extra["flagged"]
    out.values["zombie_rescan_s"] = round(scans["zombie_rescan"].seconds, 2)
    log(
        f"  zombie scan: {first.seconds:.1f}s, {first.extra['flagged']:,} flagged of "
        f"{filled.organizations:,}; the same day again {scans['zombie_rescan'].seconds:.1f}s"
    )


def _evaluation(out: Measured, db: str, nats_url: str, filled: Filled, log: Any) -> None:
    vacuum_analyze(db, log)
    settle_postgres(log)
    prewarm(db, log)
    ids = evaluation.sample(db, ELIGIBILITY_REQUESTS * ELIGIBILITY_ROUNDS)
    with evaluation.evaluation_server(db, nats_url) as url:
        found = asyncio.run(
            evaluation.eligibility(url, ids, filled.organizations, ELIGIBILITY_ROUNDS)
        )
    rounds = found.extra["round_p99_ms"]
    out.served["eligibility"] = found
    out.values["eligibility_p50_ms"] = round(found.p50_ms, 2)
    out.values["eligibility_p99_ms"] = statistics.median(rounds)
    out.values["eligibility_p99_all_ms"] = round(found.p99_ms, 2)
    log(
        f"  eligibility: p50 {found.p50_ms:.1f} ms, p99 {out.values['eligibility_p99_ms']:.1f} "
        f"ms (median of rounds: {', '.join(f'{r:.1f}' for r in rounds)}; all "
        f"{found.p99_ms:.1f} ms)"
    )
    try:
        closed = asyncio.run(evaluation.round_close(db, ROUND_APPLICATIONS))
    except Exception as exc:  # noqa: BLE001 - the figure fails and says why; the bench goes on
        out.failed["round_close_s"] = f"{type(exc).__name__}: {exc}".splitlines()[0]
        log(f"  round close FAILED: {out.failed['round_close_s']}")
        return
    out.served["round_close"] = closed
    out.values["round_close_s"] = round(closed.seconds, 2)
    log(
        f"  round close: {closed.count:,} applications in {closed.seconds:.1f}s "
        f"({closed.extra['admitted']:,} admitted)"
    )
