"""Side by side: the two benchmark scenarios played in NegMAS 0.16.0 and in treaty.

Run through `benches/negmas/run.sh`, which makes the virtual environment, installs NegMAS and
builds treaty first. This script

1. reads `scenarios/bench-pie.ron` and `scenarios/bench-6x8.ron` (stances, reservations, tactics,
   options, rounds), so both sides play the numbers of the same files;
2. builds each negotiation in NegMAS: one discrete issue per treaty issue (value k stands for
   treaty's k-th option), one `LinearAdditiveUtilityFunction` per principal equal to treaty's own
   utility on every option (checked below), `BoulwareTBNegotiator` / `ConcederTBNegotiator` /
   `LinearTBNegotiator` for the tactics, `SAOMechanism` with `n_steps` = `max_rounds`;
3. plays seeded NegMAS negotiations for a fixed time and count and measures negotiations per
   second, agreement rate, mean agreement round and (for one-issue scenarios) the mean settlement;
4. times `treaty run SCENARIO --runs N --seed S --threads T --format json` with 1 thread and with
   every core, N chosen so a run takes a few seconds, and reads the same statistics from its report;
5. prints a table: negotiations per second on each side and the ratio.

Treaty's own utility (README, "actors") is u(x) = (1 - d(x))^a with
d(x) = sum_j s_j |x_j - p_j| / sum_j s_j max(p_j, 1 - p_j). With risk a = 1 it is additive:
u(x) = sum_j w_j v_j(x_j) with w_j = s_j max(p_j, 1 - p_j) / D, D = sum_j s_j max(p_j, 1 - p_j), and
v_j(x) = 1 - |x - p_j| / max(p_j, 1 - p_j); NegMAS's LinearAdditiveUtilityFunction with a TableFun
per issue represents exactly that.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import re
import resource
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import negmas
from negmas import SAOMechanism, make_issue, make_os
from negmas.gb.negotiators.timebased import (
    BoulwareTBNegotiator,
    ConcederTBNegotiator,
    LinearTBNegotiator,
)
from negmas.preferences import LinearAdditiveUtilityFunction
from negmas.preferences.value_fun import TableFun

SCENARIOS = ("bench-pie", "bench-6x8")

# NegMAS's named time curves are PolyAspiration exponents e (aspiration 1 - t^e); treaty's
# Faratin tactics concede along (t/T)^(1/beta). The same curve needs e = 1/beta.
NEGMAS_TACTICS = {
    "Boulware": (BoulwareTBNegotiator, 4.0),
    "Conceder": (ConcederTBNegotiator, 0.25),
    "Linear": (LinearTBNegotiator, 1.0),
}


class BenchError(Exception):
    """A problem that stops the benchmark, with a message for the user."""


# ---------------------------------------------------------------------------------------------
# Reading the scenario files (only what the two benchmark files use: constant numbers).


@dataclass
class Actor:
    id: str
    reservation: float
    risk: float
    tactic: str
    beta: float
    stances: dict[str, tuple[float, float]]  # issue id -> (position, salience)


@dataclass
class Scenario:
    name: str
    path: Path
    issues: list[tuple[str, list[float]]]  # (issue id, option points)
    actors: list[Actor]
    max_rounds: int
    notes: list[str] = field(default_factory=list)


def strip_comments(text: str) -> str:
    """RON text without `//` and `/* */` comments (strings kept intact)."""
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if c == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            out.append(text[i : j + 1])
            i = j + 1
        elif text.startswith("//", i):
            j = text.find("\n", i)
            i = n if j < 0 else j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            i = n if j < 0 else j + 2
        else:
            out.append(c)
            i += 1
    return "".join(out)


NUM = r"([0-9]+(?:\.[0-9]*)?(?:[eE][-+]?[0-9]+)?)"


def section(text: str, key: str, path: Path) -> str:
    """The text of the top-level `key: [...]` list."""
    m = re.search(rf"\b{key}\s*:\s*\[", text)
    if not m:
        raise BenchError(f"{path}: no `{key}: [...]` found")
    depth, i = 0, m.end() - 1
    while i < len(text):
        if text[i] == "[":
            depth += 1
        elif text[i] == "]":
            depth -= 1
            if depth == 0:
                return text[m.end() : i]
        elif text[i] == '"':
            i += 1
            while text[i] != '"':
                i += 2 if text[i] == "\\" else 1
        i += 1
    raise BenchError(f"{path}: unclosed `{key}` list")


def read_scenario(path: Path) -> Scenario:
    try:
        raw = path.read_text(encoding="utf-8")
    except OSError as e:
        raise BenchError(f"cannot read {path}: {e}") from e
    text = strip_comments(raw)
    name = re.search(r'\bname\s*:\s*"([^"]*)"', text)
    issues = []
    for chunk in re.split(r'\bid\s*:\s*"', section(text, "issues", path))[1:]:
        iid = chunk.split('"', 1)[0]
        points = [float(x) for x in re.findall(rf"\bat\s*:\s*{NUM}", chunk)]
        if not points:
            raise BenchError(f"{path}: issue {iid} has no options; the benchmark needs options")
        issues.append((iid, points))
    actors = []
    for chunk in re.split(r'\bid\s*:\s*"', section(text, "actors", path))[1:]:
        aid = chunk.split('"', 1)[0]

        def number(key: str, default: float, chunk=chunk, aid=aid) -> float:
            m = re.search(rf"\b{key}\s*:\s*([^,\n)]+)", chunk)
            if not m:
                return default
            try:
                return float(m.group(1))
            except ValueError:
                raise BenchError(
                    f"{path}: actor {aid}: {key} is `{m.group(1).strip()}`; "
                    "the benchmark needs constant numbers"
                ) from None

        if not re.search(r"\brole\s*:\s*Principal\b", chunk):
            raise BenchError(f"{path}: actor {aid} is not a principal")
        m = re.search(
            rf"\bstrategy\s*:\s*(Boulware|Conceder|Linear)\b(?:\s*\(\s*beta\s*:\s*{NUM}\s*\))?",
            chunk,
        )
        if not m:
            raise BenchError(f"{path}: actor {aid}: the benchmark needs Boulware, Conceder or Linear")
        tactic = m.group(1)
        beta = 1.0 if tactic == "Linear" else float(m.group(2))
        stances = {
            iid: (float(p), float(s))
            for iid, p, s in re.findall(
                rf'"([^"]+)"\s*:\s*\(\s*position\s*:\s*{NUM}\s*,\s*salience\s*:\s*{NUM}\s*\)', chunk
            )
        }
        actors.append(
            Actor(aid, number("reservation", 0.0), number("risk", 1.0), tactic, beta, stances)
        )
    m = re.search(r"\bAlternatingOffers\s*\(.*?\bmax_rounds\s*:\s*([0-9]+)", text, re.S)
    if not m:
        raise BenchError(f"{path}: the benchmark needs an AlternatingOffers protocol")
    for word in ("events", "escalation", "relations", "PowerWeighted", "Quota", "discount"):
        if re.search(rf"\b{word}\b", text):
            raise BenchError(f"{path}: `{word}` has no counterpart in the NegMAS side")
    sc = Scenario(name.group(1) if name else path.stem, path, issues, actors, int(m.group(1)))
    check_scenario(sc)
    return sc


def check_scenario(sc: Scenario) -> None:
    ids = [i for i, _ in sc.issues]
    if len(sc.actors) < 2:
        raise BenchError(f"{sc.path}: fewer than two principals")
    for a in sc.actors:
        if a.risk != 1.0:
            raise BenchError(f"{sc.path}: actor {a.id} has risk {a.risk}; NegMAS's side is linear")
        if set(a.stances) - set(ids):
            raise BenchError(f"{sc.path}: actor {a.id} names unknown issues")
        _, exponent = NEGMAS_TACTICS[a.tactic]
        if not math.isclose(1.0 / a.beta, exponent):
            raise BenchError(
                f"{sc.path}: actor {a.id} plays {a.tactic} with beta {a.beta}, but NegMAS's "
                f"{NEGMAS_TACTICS[a.tactic][0].__name__} concedes with exponent {exponent} "
                f"(beta {1.0 / exponent})"
            )


# ---------------------------------------------------------------------------------------------
# treaty's utility and the NegMAS utility functions that equal it on the options.


def treaty_utility(actor: Actor, issues, x: list[float]) -> float:
    """Own utility as the README defines it (risk 1), at the point x (one value per issue)."""
    num = den = 0.0
    for (iid, _), xj in zip(issues, x):
        p, s = actor.stances.get(iid, (0.0, 0.0))
        num += s * abs(xj - p)
        den += s * max(p, 1.0 - p)
    return 1.0 - min(num / den, 1.0) if den > 0 else 1.0


def negmas_ufun(actor: Actor, issues, outcome_space) -> LinearAdditiveUtilityFunction:
    far = {iid: max(p, 1.0 - p) for iid, (p, s) in actor.stances.items()}
    den = sum(s * far[iid] for iid, (p, s) in actor.stances.items())
    values, weights = [], []
    for iid, points in issues:
        p, s = actor.stances.get(iid, (0.0, 0.0))
        if s == 0.0:
            values.append(TableFun({k: 0.0 for k in range(len(points))}))
            weights.append(0.0)
            continue
        values.append(TableFun({k: 1.0 - abs(x - p) / far[iid] for k, x in enumerate(points)}))
        weights.append(s * far[iid] / den)
    return LinearAdditiveUtilityFunction(
        values,
        weights=weights,
        outcome_space=outcome_space,
        reserved_value=actor.reservation,
        name=actor.id,
    )


@dataclass
class NegmasSetup:
    scenario: Scenario
    outcome_space: object
    ufuns: list
    classes: list


def negmas_setup(sc: Scenario, rng: random.Random) -> NegmasSetup:
    os_ = make_os([make_issue(len(points), iid) for iid, points in sc.issues])
    ufuns = [negmas_ufun(a, sc.issues, os_) for a in sc.actors]
    # The two utilities agree on every option: check on the corners and on random outcomes.
    samples = [tuple(0 for _ in sc.issues), tuple(len(p) - 1 for _, p in sc.issues)]
    samples += [tuple(rng.randrange(len(p)) for _, p in sc.issues) for _ in range(2000)]
    for a, u in zip(sc.actors, ufuns):
        for o in samples:
            x = [points[k] for (_, points), k in zip(sc.issues, o)]
            if abs(float(u(o)) - treaty_utility(a, sc.issues, x)) > 1e-12:
                raise BenchError(f"{sc.path}: NegMAS utility of {a.id} differs from treaty's at {x}")
    classes = [NEGMAS_TACTICS[a.tactic][0] for a in sc.actors]
    return NegmasSetup(sc, os_, ufuns, classes)


# ---------------------------------------------------------------------------------------------
# Playing and timing.


@dataclass
class Figures:
    """What one side measured on one scenario."""

    negotiations: int
    seconds: float
    agreements: int
    mean_round: float | None
    mean_settlement: float | None  # one-issue scenarios: mean settlement point of agreements
    extra: dict = field(default_factory=dict)

    @property
    def per_second(self) -> float:
        return self.negotiations / self.seconds

    @property
    def agreement_rate(self) -> float:
        return self.agreements / self.negotiations


def negotiate(setup: NegmasSetup) -> SAOMechanism:
    """One NegMAS negotiation of the scenario, played to its end."""
    m = SAOMechanism(outcome_space=setup.outcome_space, n_steps=setup.scenario.max_rounds)
    for cls, ufun in zip(setup.classes, setup.ufuns):
        m.add(cls(ufun=ufun, name=ufun.name))
    m.run()
    return m


def play_negmas(setup: NegmasSetup, seed: int, min_seconds: float, min_count: int) -> Figures:
    sc = setup.scenario
    negotiate(setup)  # warm-up, untimed: first-use costs (imports, caches) are not per negotiation
    total = cpu = 0.0
    count = agreements = 0
    rounds, settlements, offers = [], [], []
    while total < min_seconds or count < min_count:
        # Negotiation k is seeded from the master seed and k (NegMAS draws from Python's and
        # NumPy's global generators, e.g. in its sampling inverter for large outcome spaces).
        random.seed(seed * 1_000_003 + count)
        np.random.seed((seed * 1_000_003 + count) % 2**32)
        start, cpu_start = time.perf_counter(), time.process_time()
        m = negotiate(setup)
        total += time.perf_counter() - start
        cpu += time.process_time() - cpu_start
        count += 1
        state = m.state
        if state.agreement is not None:
            agreements += 1
            rounds.append(state.step)  # steps completed, counting the agreeing one: 1-based
            if len(sc.issues) == 1:
                settlements.append(sc.issues[0][1][state.agreement[0]])
        offers.append(len(m.full_trace))
    # CPU time over wall time: well below 1 means the machine was busy with other work.
    cpu_share = cpu / total
    return Figures(
        count,
        total,
        agreements,
        sum(rounds) / len(rounds) if rounds else None,
        sum(settlements) / len(settlements) if settlements else None,
        {
            "mean_offers": sum(offers) / len(offers),
            "cpu_share": cpu_share,
            "per_cpu_second": count / cpu,
        },
    )


TIMING = re.compile(r"treaty: ([0-9]+) runs of .* in ([0-9.]+) s")


def run_treaty(binary: Path, sc: Scenario, runs: int, seed: int, threads: int) -> Figures:
    cmd = [
        str(binary), "run", str(sc.path), "--runs", str(runs), "--seed", str(seed),
        "--threads", str(threads), "--format", "json",
    ]  # fmt: skip
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if proc.returncode != 0:
        raise BenchError(f"`{' '.join(cmd)}` failed ({proc.returncode}):\n{proc.stderr.strip()}")
    # The run's own timing (stderr) covers the batch only; the wall time adds process start,
    # loading the scenario and writing the report.
    m = TIMING.search(proc.stderr)
    seconds = float(m.group(2)) if m and float(m.group(2)) > 0 else wall
    try:
        report = json.loads(proc.stdout)
    except json.JSONDecodeError as e:
        raise BenchError(f"`{' '.join(cmd)}` did not print a JSON report: {e}") from e
    try:
        agreement = next(o for o in report["outcomes"] if o["kind"].lower() == "agreement")
        issue = report["issues"][0] if len(sc.issues) == 1 else None
        return Figures(
            runs,
            seconds,
            agreement["count"],
            agreement.get("mean_round"),
            issue["mean_by_outcome"]["agreement"] if issue else None,
            {
                "wall_seconds": wall,
                "timing": "run" if m else "wall",
                "cpu_share": cpu / (wall * threads),
            },
        )
    except (KeyError, StopIteration, TypeError) as e:
        raise BenchError(f"unexpected report from `{' '.join(cmd)}`: no {e}") from e


def time_treaty(
    binary: Path, sc: Scenario, seed: int, threads: int, target: float, runs: int | None
) -> Figures:
    """`runs` runs if given, else enough for about `target` seconds (found by a short trial)."""
    if runs is None:
        runs = 10_000
        while True:
            trial = run_treaty(binary, sc, runs, seed, threads)
            if trial.seconds >= target / 4 or runs >= 1 << 36:
                break
            runs *= 8 if trial.seconds < target / 32 else 2
        runs = max(runs, math.ceil(runs * target / trial.seconds / 1000) * 1000)
    return run_treaty(binary, sc, runs, seed, threads)


# ---------------------------------------------------------------------------------------------
# Report.


def fmt_rate(x: float | None) -> str:
    if x is None:
        return "-"
    return f"{x:,.0f}" if x >= 100 else f"{x:,.2f}"


def describe(side: str, f: Figures) -> str:
    rnd = "-" if f.mean_round is None else f"{f.mean_round:.1f}"
    text = (
        f"  {side:<22} {f.negotiations:>11,} negotiations in {f.seconds:7.2f} s: "
        f"{fmt_rate(f.per_second):>11}/s; agreement {100 * f.agreement_rate:5.1f}%, "
        f"mean agreement round {rnd}"
    )
    if f.mean_settlement is not None:
        text += f", mean settlement {f.mean_settlement:.3f}"
    if "mean_offers" in f.extra:
        text += f", {f.extra['mean_offers']:.1f} offers per negotiation"
    if f.extra.get("cpu_share", 1.0) < 0.9:
        text += (
            f"\n  {'':<22} busy machine: got {100 * f.extra['cpu_share']:.0f}% of the CPU time"
            " it could use, so the figure is low"
        )
        if "per_cpu_second" in f.extra:
            text += f" ({fmt_rate(f.extra['per_cpu_second'])} per second of CPU time)"
    return text


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scenarios", type=Path, default=Path("scenarios"), help="scenario directory")
    ap.add_argument("--treaty", type=Path, help="the treaty binary (omit to time NegMAS only)")
    ap.add_argument("--seed", type=int, default=0, help="master seed of both sides")
    ap.add_argument("--seconds", type=float, default=10.0, help="NegMAS time per scenario")
    ap.add_argument("--min-negotiations", type=int, default=20, help="NegMAS negotiations at least")
    ap.add_argument("--treaty-seconds", type=float, default=5.0, help="treaty time per measurement")
    ap.add_argument("--treaty-runs", type=int, help="treaty runs per measurement (default: timed)")
    ap.add_argument("--only", choices=SCENARIOS, action="append", help="one scenario (repeatable)")
    ap.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    args = ap.parse_args()

    cores = os.cpu_count() or 1
    if args.treaty:
        # Fail before the long NegMAS measurement, not after it.
        run_treaty(args.treaty, read_scenario(args.scenarios / "bench-pie.ron"), 1000, 0, 1)
    results = {}
    for name in args.only or SCENARIOS:
        sc = read_scenario(args.scenarios / f"{name}.ron")
        setup = negmas_setup(sc, random.Random(args.seed))
        print(f"{name}: {sc.name}", file=sys.stderr)
        row = {"negmas": play_negmas(setup, args.seed, args.seconds, args.min_negotiations)}
        print(describe(f"NegMAS {negmas.__version__}", row["negmas"]), file=sys.stderr)
        if args.treaty:
            for threads in sorted({1, cores}):
                f = time_treaty(
                    args.treaty, sc, args.seed, threads, args.treaty_seconds, args.treaty_runs
                )
                row[f"treaty_{threads}"] = f
                label = f"treaty, {threads} thread{'s' if threads > 1 else ''}"
                print(describe(label, f), file=sys.stderr)
        results[name] = row

    head = ["scenario", "NegMAS neg/s", "treaty neg/s (1 thread)", f"treaty neg/s ({cores} threads)"]
    head += ["ratio (1 thread)", f"ratio ({cores} threads)"]
    lines = []
    for name, row in results.items():
        n = row["negmas"].per_second
        t1 = row.get("treaty_1")
        tn = row.get(f"treaty_{cores}")
        cells = [name, fmt_rate(n)]
        cells += [fmt_rate(t.per_second) if t else "-" for t in (t1, tn)]
        cells += [f"{t.per_second / n:,.0f}x" if t else "-" for t in (t1, tn)]
        lines.append(cells)
    widths = [max(len(r[i]) for r in [head, *lines]) for i in range(len(head))]
    print()
    print(" | ".join(h.ljust(w) for h, w in zip(head, widths)))
    print("-+-".join("-" * w for w in widths))
    for cells in lines:
        print(" | ".join(c.rjust(w) if i else c.ljust(w) for i, (c, w) in enumerate(zip(cells, widths))))

    if args.json:
        doc = {
            "date": time.strftime("%Y-%m-%d"),
            "cores": cores,
            "seed": args.seed,
            "scenarios": {
                name: {side: {**vars(f), "per_second": f.per_second} for side, f in row.items()}
                for name, row in results.items()
            },
        }
        args.json.write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchError as e:
        print(f"negmas_bench: {e}", file=sys.stderr)
        sys.exit(1)
