"""PNG charts (matplotlib, Agg backend): per-call latency distributions, storm outcomes,
the interleaved soak's ratios against the static-token client."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

from .scenarios.interleaved import InterleavedRow
from .scenarios.storm import StormRow


def latency(samples: dict[str, dict[str, list[float]]], path: Path) -> None:
    """``samples``: mode -> client -> per-call seconds. One box plot per mode."""
    fig, axes = plt.subplots(1, len(samples), figsize=(6 * len(samples), 4.5), squeeze=False)
    for ax, (mode, by_client) in zip(axes[0], samples.items(), strict=True):
        names = list(by_client)
        data = [[v * 1e6 for v in by_client[name]] for name in names]
        ax.boxplot(data, showfliers=False, whis=(1, 99))
        ax.set_xticks(range(1, len(names) + 1), [n.replace(", ", ",\n") for n in names])
        ax.set_title(f"{mode}: µs per GET /me (whiskers p1-p99)")
        ax.set_ylabel("µs per call")
        ax.grid(axis="y", alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def storm(rows: Sequence[StormRow], path: Path) -> None:
    """Refresh calls and failed calls per client, one panel per (mode, reuse detection)."""
    groups: dict[tuple[str, bool], list[StormRow]] = {}
    for row in rows:
        groups.setdefault((row.mode, row.reuse_detection), []).append(row)
    fig, axes = plt.subplots(len(groups), 1, figsize=(11, 3.6 * len(groups)), squeeze=False)
    for ax, ((mode, reuse), group) in zip(axes[:, 0], groups.items(), strict=True):
        names = [r.client for r in group]
        xs = range(len(names))
        width = 0.4
        refreshes = [max(r.refreshes, 0.8) for r in group]
        failures = [max(r.failures, 0.8) for r in group]
        ax.bar([x - width / 2 for x in xs], refreshes, width, label="refresh calls")
        ax.bar([x + width / 2 for x in xs], failures, width, label="failed calls")
        for x, r in zip(xs, group, strict=True):
            ax.annotate(str(r.refreshes), (x - width / 2, max(r.refreshes, 0.8)),
                        ha="center", va="bottom", fontsize=8)  # fmt: skip
            ax.annotate(str(r.failures), (x + width / 2, max(r.failures, 0.8)),
                        ha="center", va="bottom", fontsize=8)  # fmt: skip
        ax.set_yscale("log")
        ax.set_xticks(list(xs), [n.replace(" (", "\n(") for n in names], fontsize=8)
        n = group[0].n
        ax.set_title(
            f"storm, {mode}, N={n}, reuse detection {'on' if reuse else 'off'} "
            "(target: 1 refresh, 0 failures; 0 drawn as 0.8)"
        )
        ax.legend(fontsize=8)
        ax.grid(axis="y", alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def _spread(text: str, value: float) -> tuple[float, float]:
    """Error-bar lengths below and above ``value`` from a ``"min-max"`` spread."""
    try:
        low, high = (float(part) for part in text.split("-"))
    except ValueError:
        return 0.0, 0.0
    return max(value - low, 0.0), max(high - value, 0.0)


def interleaved(rows: Sequence[InterleavedRow], path: Path) -> None:
    """Throughput and p99 of ours ÷ static per configuration, with the per-round spread
    and issue 15's targets (throughput ≥ 0.97, p99 ≤ 1.5)."""
    labels = [
        f"{r.mode}\n{r.ttl:g} s / {r.token_latency * 1e3:.0f} ms\n"
        f"reuse {'on' if r.reuse_detection else 'off'}"
        for r in rows
    ]
    fig, axes = plt.subplots(1, 2, figsize=(13, 4.8))
    panels = (
        ("throughput ours ÷ static (higher is better)", [r.throughput for r in rows],
         [r.throughput_spread for r in rows], 0.97),
        ("p99 latency ours ÷ static (lower is better)", [r.p99_ratio for r in rows],
         [r.p99_spread for r in rows], 1.5),
    )  # fmt: skip
    for ax, (title, values, spreads, target) in zip(axes, panels, strict=True):
        errors = [_spread(s, v) for s, v in zip(spreads, values, strict=True)]
        xs = range(len(rows))
        ax.bar(xs, values, yerr=list(zip(*errors, strict=True)), capsize=3, color="tab:blue")
        ax.axhline(1.0, color="grey", linewidth=0.8)
        ax.axhline(target, color="tab:red", linestyle="--", linewidth=1, label=f"target {target}")
        ax.set_xticks(list(xs), labels, fontsize=7)
        ax.set_title(title + "; bars: median, whiskers: per-round min-max", fontsize=9)
        ax.legend(fontsize=8)
        ax.grid(axis="y", alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
