"""Quick start: load a bundled scenario, play it, change it, and compare.

Run with ``python python/examples/quickstart.py`` once the package is installed.
"""

import treaty

# A bundled scenario by name (or a path to a .ron file).
scenario = treaty.load("karabakh-2023")
print(f"{scenario.name}: actors {', '.join(scenario.actors)}")
assert scenario.validate() == [], "the bundled scenario is valid"

# 2,000 runs under seed 0: the same numbers on any machine and thread count.
summary = treaty.run(scenario, runs=2_000, seed=0)
for outcome in summary.to_dict()["outcomes"]:
    print(f"  {outcome['kind']:<10} {outcome['probability']:.3f}")

# The same batch with Russia weaker, side by side on common random numbers.
comparison = treaty.compare(
    scenario, {"weak-russia": {"actors.RUS.capability": 0.25}}, runs=2_000, seed=0
)
print(comparison.render("table"))

# One record per run, as a pandas DataFrame (or a pyarrow Table with output="arrow").
per_run = treaty.runs(scenario, runs=2_000, seed=0)
print(per_run["outcome"].value_counts().to_string())

# One run told round by round.
story = treaty.trace(scenario, seed=0, run=0)
print(f"run 0 lasted {len(story)} rounds")
