"""Seeded Monte Carlo simulation of multilateral diplomatic negotiations.

``treaty`` reads a negotiation from a RON scenario file (or one of the bundled scenarios), plays
it many thousands of times, each run from its own seeded random stream, and reports what tends
to happen. Every result is bit-exact: the same scenario, seed and run count give the same bytes
on any machine and thread count, and the same bytes as the ``treaty`` command line.

Example:

>>> import treaty
>>> scenario = treaty.load("mediated-water")
>>> scenario.validate()
[]
>>> summary = treaty.run(scenario, runs=2_000, seed=7)
>>> sorted(o["kind"] for o in summary.to_dict()["outcomes"])
['Agreement', 'Conflict', 'Deadlock']
>>> weaker = treaty.run(scenario, runs=2_000, seed=7, overrides={"actors.UPL.capability": 0.5})
>>> weaker.to_dict()["provenance"]["overrides"]
['actors.UPL.capability=0.5']
"""

from treaty._api import (
    Backtest,
    Comparison,
    Scenario,
    Sensitivity,
    Summary,
    Sweep,
    Trace,
    backtest,
    bundled,
    compare,
    load,
    run,
    runs,
    sensitivity,
    sweep,
    templates,
    trace,
)
from treaty._treaty import ScenarioError, TreatyError, __version__

__all__ = [
    "Backtest",
    "Comparison",
    "Scenario",
    "ScenarioError",
    "Sensitivity",
    "Summary",
    "Sweep",
    "Trace",
    "TreatyError",
    "__version__",
    "backtest",
    "bundled",
    "compare",
    "load",
    "run",
    "runs",
    "sensitivity",
    "sweep",
    "templates",
    "trace",
]
