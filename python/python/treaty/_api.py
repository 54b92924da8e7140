"""The public API: scenarios, the functions that play them, and their results."""

from __future__ import annotations

import io
import json
import os
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal, Union

from treaty import _treaty

if TYPE_CHECKING:
    import pandas
    import pyarrow

#: An override's value: a number, a boolean, or RON text (``"Uniform(0.2, 0.4)"``, ``"Unanimous"``).
OverrideValue = Union[float, int, bool, str, Sequence[Any]]
#: Overrides: ``{"actors.RUS.capability": 0.3}``, or a list of ``"PATH=VALUE"`` strings.
Overrides = Union[Mapping[str, OverrideValue], Sequence[str], None]
#: A scenario, a path to a ``.ron`` file, or a bundled scenario's name.
ScenarioLike = Union["Scenario", str, "os.PathLike[str]"]

DEFAULT_RUNS = 10_000
"""Runs of a batch, a comparison or a sweep when none is given (as on the command line)."""


def _ron(value: OverrideValue) -> str:
    """An override's value written in RON."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return value
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_ron(v) for v in value) + "]"
    raise TypeError(
        f"override value {value!r}: expected a number, a bool, RON text or a list of them"
    )


def _overrides(overrides: Overrides) -> list[str]:
    """Overrides as the library reads them: ``PATH=VALUE`` strings, in order."""
    if overrides is None:
        return []
    if isinstance(overrides, str):
        raise TypeError(
            'overrides: expected a dict {"PATH": value} or a list of "PATH=VALUE" strings, '
            "not a single string"
        )
    if isinstance(overrides, Mapping):
        out = []
        for path, value in overrides.items():
            if not isinstance(path, str):
                raise TypeError(f"override path {path!r}: expected a string")
            out.append(f"{path}={_ron(value)}")
        return out
    out = []
    for item in overrides:
        if not isinstance(item, str):
            raise TypeError(f'override {item!r}: expected a "PATH=VALUE" string')
        out.append(item)
    return out


def _check_count(name: str, value: Any, optional: bool = False) -> None:
    """Refuses a count that is not a whole number (bools included) before the library sees it."""
    if optional and value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name}: expected a whole number, not {value!r}")
    if value < 0:
        raise ValueError(f"{name} must be at least {1 if name != 'seed' else 0}, not {value}")


class Scenario:
    """A scenario read and parsed from a RON file or a bundled scenario.

    Made by :func:`load`. Its overrides are applied, and it is validated, when it is played;
    :meth:`validate` lists every broken rule without playing it.

    >>> s = treaty.load("karabakh-2023")
    >>> s.name
    'Nagorno-Karabakh 2023'
    >>> s.actors[:3]
    ['ARM', 'AZE', 'RUS']
    """

    __slots__ = ("_native",)

    def __init__(self, native: _treaty.Scenario) -> None:
        self._native = native

    @classmethod
    def from_text(cls, text: str, file: str = "<string>") -> Scenario:
        """Parses scenario text; ``file`` names it in error messages.

        >>> treaty.Scenario.from_text(treaty.load("mediated-water").text).issues
        ['water', 'dam', 'commission']
        """
        return cls(_treaty.Scenario.from_text(text, file))

    @property
    def file(self) -> str:
        """The file as given to :func:`load`, or the bundled scenario's name."""
        return self._native.file

    @property
    def text(self) -> str:
        """The scenario's RON text."""
        return self._native.text

    @property
    def name(self) -> str:
        """The scenario's name, from its metadata."""
        return self._native.name

    @property
    def actors(self) -> list[str]:
        """The actors' ids, in file order."""
        return self._native.actors

    @property
    def issues(self) -> list[str]:
        """The issues' ids, in file order."""
        return self._native.issues

    def validate(self, overrides: Overrides = None) -> list[dict[str, str]]:
        """Every broken rule of the scenario (with ``overrides`` applied), or ``[]`` if it is valid.

        Each problem is a dict with ``path`` (inside the scenario), ``found``, ``allowed`` and
        ``message``. An override that names nothing or cannot be read raises
        :class:`ScenarioError`.

        >>> treaty.load("karabakh-2023").validate({"actors.RUS.capability": -1})[0]["path"]
        'actors["RUS"].capability'
        """
        return self._native.problems(_overrides(overrides))

    def __repr__(self) -> str:
        return f"<treaty.Scenario {self.name!r} from {self.file!r}>"


def load(name_or_path: str | os.PathLike[str]) -> Scenario:
    """Reads and parses a scenario file, or a bundled scenario by name.

    Raises :class:`ScenarioError` (a ``ValueError``) with the command line's located message
    (``FILE:LINE:COLUMN: message``) when the file cannot be read or parsed.

    >>> treaty.load("mediated-water").issues
    ['water', 'dam', 'commission']
    """
    return Scenario(_treaty.Scenario.load(os.fspath(name_or_path)))


def _scenario(s: ScenarioLike) -> Scenario:
    if isinstance(s, Scenario):
        return s
    if isinstance(s, (str, os.PathLike)):
        return load(s)
    raise TypeError(f"expected a Scenario, a path or a bundled scenario's name, not {s!r}")


def bundled() -> list[str]:
    """The names of the bundled scenarios (each loads with :func:`load`)."""
    return _treaty.bundled()


def templates() -> list[str]:
    """The names of the bundled import templates (one protocol each, for :func:`backtest`)."""
    return _treaty.templates()


def _pandas() -> Any:
    try:
        import pandas
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ImportError(
            "this needs pandas, which is not installed: pip install pandas pyarrow"
        ) from e
    return pandas


def _pyarrow_csv() -> Any:
    try:
        import pyarrow.csv
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ImportError(
            "this needs pyarrow, which is not installed: pip install pyarrow"
        ) from e
    return pyarrow.csv


class _Result:
    """A result of the library: renders as the command line writes it."""

    __slots__ = ("_json", "_native")

    def __init__(self, native: _treaty.Result) -> None:
        self._native = native
        self._json: str | None = None

    def render(self, format: str) -> str:
        """The result in ``format`` (``"table"``, ``"text"``, ``"json"`` or ``"csv"``, as the
        result allows), the same text as the command line's ``--format``."""
        return self._native.render(format).decode("utf-8")

    def to_json(self) -> str:
        """The JSON document, byte for byte the command line's ``--format json``."""
        if self._json is None:
            self._json = self.render("json")
        return self._json

    def to_dict(self) -> dict[str, Any]:
        """The JSON document as Python objects (a fresh copy each call)."""
        doc: dict[str, Any] = json.loads(self.to_json())
        return doc

    def __str__(self) -> str:
        return self.render("table")

    def __repr__(self) -> str:
        return f"<treaty.{type(self).__name__}>"


class Summary(_Result):
    """The summary of a batch of runs (:func:`run`): outcome probabilities, settlements,
    utilities, wars and the batch's provenance.

    >>> s = treaty.run("mediated-water", runs=1_000)
    >>> s.to_dict()["schema"]
    'treaty-report/2'
    >>> sorted(s.to_pandas())
    ['actors', 'issues', 'options', 'outcomes', 'wars']
    """

    __slots__ = ()

    def to_pandas(self) -> dict[str, pandas.DataFrame]:
        """The summary as pandas DataFrames, keyed ``outcomes``, ``issues``, ``options``,
        ``actors`` and ``wars`` (nested fields flattened with dots: ``settlement.mean``).

        Needs pandas (imported only here).
        """
        pd = _pandas()
        doc = self.to_dict()
        issues = doc.get("issues", [])
        options = []
        flat_issues = []
        for issue in issues:
            issue = dict(issue)
            for option in issue.pop("options", None) or []:
                options.append({"issue": issue.get("id"), **option})
            flat_issues.append(issue)
        wars = doc.get("wars", {})
        war_rows = wars if isinstance(wars, list) else [wars]
        return {
            "outcomes": pd.json_normalize(doc.get("outcomes", [])),
            "issues": pd.json_normalize(flat_issues),
            "options": pd.json_normalize(options),
            "actors": pd.json_normalize(doc.get("actors", [])),
            "wars": pd.json_normalize(war_rows),
        }


class Comparison(_Result):
    """A base scenario and its variants on common random numbers (:func:`compare`)."""

    __slots__ = ()


class Sweep(_Result):
    """A grid of parameter values, one row per point (:func:`sweep`)."""

    __slots__ = ()

    def to_pandas(self) -> pandas.DataFrame:
        """The sweep as the command line's CSV (one row per point and metric), read by pandas."""
        return _pandas().read_csv(io.StringIO(self.render("csv")))


class Backtest(_Result):
    """Forecasts of decisions with recorded outcomes, scored (:func:`backtest`)."""

    __slots__ = ()


class Sensitivity(_Result):
    """Which uncertain inputs drive each headline outcome (:func:`sensitivity`)."""

    __slots__ = ()


class Trace(_Result, Sequence[dict[str, Any]]):
    """One run told round by round (:func:`trace`); a sequence of its rounds as dicts.

    >>> t = treaty.trace("rubinstein-pie", seed=0, run=0)
    >>> t[0]["round"]
    1
    """

    __slots__ = ("_rounds",)

    def __init__(self, native: _treaty.Result) -> None:
        super().__init__(native)
        self._rounds: list[dict[str, Any]] | None = None

    @property
    def rounds(self) -> list[dict[str, Any]]:
        """The rounds, as dicts (from the trace's JSON)."""
        if self._rounds is None:
            self._rounds = self.to_dict()["rounds"]
        return self._rounds

    def __len__(self) -> int:
        return len(self.rounds)

    def __getitem__(self, i: Any) -> Any:
        return self.rounds[i]

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return iter(self.rounds)

    def __str__(self) -> str:
        return self.render("text")


def run(
    scenario: ScenarioLike,
    runs: int = DEFAULT_RUNS,
    seed: int = 0,
    threads: int | None = None,
    overrides: Overrides = None,
) -> Summary:
    """Plays ``runs`` runs of the scenario under ``seed`` and summarises them.

    Run k draws from random stream k of ``seed``, so the result does not depend on ``threads``
    (default: one per core); ``to_json()`` is byte for byte ``treaty run --format json`` with
    the same settings. ``overrides`` change numbers or choices of the scenario first
    (``{"actors.RUS.capability": 0.3}``, like ``--set``). The GIL is released while the batch
    plays, and Ctrl-C stops it with ``KeyboardInterrupt``.

    >>> treaty.run("karabakh-2023", runs=1_000, seed=3).to_dict()["provenance"]["runs"]
    1000
    """
    _check_count("runs", runs)
    _check_count("seed", seed)
    _check_count("threads", threads, optional=True)
    s = _scenario(scenario)
    return Summary(_treaty.run(s._native, _overrides(overrides), runs, seed, threads))


def runs(
    scenario: ScenarioLike,
    runs: int = DEFAULT_RUNS,
    seed: int = 0,
    threads: int | None = None,
    overrides: Overrides = None,
    output: Literal["pandas", "arrow"] = "pandas",
) -> pandas.DataFrame | pyarrow.Table:
    """One record per run: a pandas DataFrame (``output="pandas"``) or a pyarrow Table
    (``output="arrow"``).

    The columns are those of ``treaty run --per-run FILE``: ``run``, ``outcome``, ``round``,
    ``settlement.ISSUE`` for each issue, ``utility.ACTOR`` for each actor, then ``wars``,
    ``first_war_round``, ``first_war_initiator``, ``first_war_target``,
    ``first_war_initiator_won`` and ``last_war_ended_talks``, then the judgement of the
    settlement, ``distance.frontier``, ``distance.nash`` and ``distance.kalai_smorodinsky``
    (normalised distances from the principals' Pareto frontier and the Nash and
    Kalai–Smorodinsky points at the scenario's central values; null when there is nothing to
    judge against), then the ``input.*`` and
    ``event.*`` columns, and, under the expected-utility protocol, ``forecast.ISSUE.weighted_median``
    and ``forecast.ISSUE.condorcet`` for each issue. The CSV is made in memory and read by
    pyarrow column by column. Needs pyarrow (and pandas for ``"pandas"``).

    >>> df = treaty.runs("mediated-water", runs=1_000)
    >>> len(df), list(df.columns[:3])
    (1000, ['run', 'outcome', 'round'])
    """
    if output not in ("pandas", "arrow"):
        raise ValueError(f'output {output!r}: allowed "pandas" or "arrow"')
    _check_count("runs", runs)
    _check_count("seed", seed)
    _check_count("threads", threads, optional=True)
    pacsv = _pyarrow_csv()
    if output == "pandas":
        _pandas()
    s = _scenario(scenario)
    data = _treaty.per_run_csv(s._native, _overrides(overrides), runs, seed, threads)
    import pyarrow

    table = pacsv.read_csv(pyarrow.BufferReader(data))
    return table.to_pandas() if output == "pandas" else table


def compare(
    base: ScenarioLike,
    variants: Mapping[str, Overrides | ScenarioLike],
    runs: int = DEFAULT_RUNS,
    seed: int = 0,
    threads: int | None = None,
    overrides: Overrides = None,
) -> Comparison:
    """The base scenario and its variants side by side, on common random numbers, with paired
    differences and their 95% intervals.

    ``variants`` maps a name to the base's overrides (``{"weak-russia":
    {"actors.RUS.capability": 0.25}}``, like ``--variant "weak-russia: ..."``) or to another
    scenario (a :class:`Scenario`, a path or a bundled name). ``overrides`` apply to the base and
    to every variant, before a variant's own (like ``--set``). ``to_json()`` is byte for byte
    ``treaty compare --format json``.

    >>> c = treaty.compare("karabakh-2023", {"weak": {"actors.RUS.capability": 0.25}}, runs=1_000)
    >>> [v["name"] for v in c.to_dict()["variants"]]
    ['weak']
    """
    _check_count("runs", runs)
    _check_count("seed", seed)
    _check_count("threads", threads, optional=True)
    if not isinstance(variants, Mapping):
        raise TypeError("variants: expected a dict {name: overrides or scenario}")
    b = _scenario(base)
    base_name = b.file
    listed = []
    for name, spec in variants.items():
        if isinstance(spec, (Scenario, str, os.PathLike)):
            listed.append((str(name), _scenario(spec)._native, []))
        else:
            listed.append((str(name), b._native, _overrides(spec)))
    native = _treaty.compare(
        b._native, base_name, listed, _overrides(overrides), runs, seed, threads
    )
    return Comparison(native)


def sweep(
    scenario: ScenarioLike,
    axes: Mapping[str, str | Sequence[float]],
    runs: int = DEFAULT_RUNS,
    seed: int = 0,
    threads: int | None = None,
    overrides: Overrides = None,
) -> Sweep:
    """Plays every point of a grid of parameter values, on common random numbers.

    ``axes`` maps a path to its values: a range ``"LO..HI:STEPS"`` (as ``treaty sweep --set
    PATH=LO..HI:STEPS``) or a list of numbers. The grid is the product of the axes, the first
    varying slowest; ``overrides`` apply at every point. With ranges, ``to_json()`` is byte for
    byte ``treaty sweep --format json``.

    >>> s = treaty.sweep("mediated-water", {"actors.UPL.capability": [0.3, 0.6]}, runs=1_000)
    >>> len(s.to_dict()["points"])
    2
    """
    _check_count("runs", runs)
    _check_count("seed", seed)
    _check_count("threads", threads, optional=True)
    if not isinstance(axes, Mapping):
        raise TypeError('axes: expected a dict {"PATH": "LO..HI:STEPS" or [values]}')
    s = _scenario(scenario)
    native = _treaty.sweep(
        s._native, list(axes.items()), _overrides(overrides), runs, seed, threads
    )
    return Sweep(native)


def trace(
    scenario: ScenarioLike,
    seed: int = 0,
    run: int = 0,
    overrides: Overrides = None,
) -> Trace:
    """Run ``run`` of the batch under ``seed``, told round by round.

    The result is a sequence of rounds (dicts, from ``treaty trace --format json``); ``str()``
    gives the command line's text.
    """
    _check_count("seed", seed)
    _check_count("run", run)
    s = _scenario(scenario)
    return Trace(_treaty.trace(s._native, _overrides(overrides), seed, run))


def backtest(
    data_dir: str | os.PathLike[str],
    templates: Sequence[str] | None = None,
    runs: int = 500,
    seed: int = 0,
    threads: int | None = None,
    overrides: Overrides = None,
    group: Literal["case", "proposal"] = "case",
    scale: float = 1.0,
    by: Sequence[str] | None = None,
) -> Backtest:
    """Forecasts the decisions of a folder of tidy tables (``cases.csv``, ``stances.csv``,
    ``actors.csv``) under each import template (default: every bundled one) and scores them,
    with the classic baselines, against the recorded outcomes.

    ``group`` makes one scenario per case or per proposal; ``scale`` is that of the tables'
    numbers (1 or 100); ``by`` names tag columns to group the scores by (default: ``rule`` when
    the cases have it). ``to_json()`` is byte for byte ``treaty backtest DIR --format json``.
    """
    _check_count("runs", runs)
    _check_count("seed", seed)
    _check_count("threads", threads, optional=True)
    if isinstance(templates, str):
        templates = [templates]
    native = _treaty.backtest(
        os.fspath(data_dir),
        list(templates) if templates is not None else None,
        group,
        float(scale),
        list(by or []),
        _overrides(overrides),
        runs,
        seed,
        threads,
    )
    return Backtest(native)


def sensitivity(
    scenario: ScenarioLike,
    runs: int = 4_000,
    seed: int = 0,
    threads: int | None = None,
    overrides: Overrides = None,
) -> Sensitivity:
    """Ranks every uncertain input of the scenario by its standardised rank regression
    coefficient on each headline outcome (P(agreement), P(war), each settlement, each utility).

    ``to_json()`` is byte for byte ``treaty sensitivity SCENARIO --format json``.

    >>> s = treaty.sensitivity("rubinstein-pie", runs=500,
    ...                        overrides={"protocol.discount.A": "Uniform(0.9, 0.99)"})
    >>> s.to_dict()["outcomes"][2]["effects"][0]["input"]
    'protocol.discount.A'
    """
    _check_count("runs", runs)
    _check_count("seed", seed)
    _check_count("threads", threads, optional=True)
    return Sensitivity(
        _treaty.sensitivity(_scenario(scenario)._native, _overrides(overrides), runs, seed,
                            threads)
    )
