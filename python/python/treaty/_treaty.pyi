"""Type stubs of the native module ``treaty._treaty`` (used through the ``treaty`` package)."""

from collections.abc import Sequence
from typing import Optional, Union

__version__: str

class ScenarioError(ValueError):
    """A scenario that cannot be read, parsed, changed by an override or validated."""

    file: str
    line: Optional[int]
    column: Optional[int]
    problems: list[dict[str, str]]

class TreatyError(Exception):
    """A computation that could not be carried out although its input was valid."""

class Scenario:
    @staticmethod
    def load(name_or_path: str) -> Scenario: ...
    @staticmethod
    def from_text(text: str, file: str) -> Scenario: ...
    @property
    def file(self) -> str: ...
    @property
    def text(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def actors(self) -> list[str]: ...
    @property
    def issues(self) -> list[str]: ...
    def problems(self, overrides: list[str]) -> list[dict[str, str]]: ...
    def check(self, overrides: list[str]) -> tuple[int, int, str]: ...

class Result:
    @property
    def kind(self) -> str: ...
    def render(self, format: str) -> bytes: ...

def run(
    scenario: Scenario, overrides: list[str], runs: int, seed: int, threads: Optional[int]
) -> Result: ...
def per_run_csv(
    scenario: Scenario, overrides: list[str], runs: int, seed: int, threads: Optional[int]
) -> bytes: ...
def compare(
    base: Scenario,
    base_name: str,
    variants: list[tuple[str, Scenario, list[str]]],
    overrides: list[str],
    runs: int,
    seed: int,
    threads: Optional[int],
) -> Result: ...
def sweep(
    scenario: Scenario,
    axes: list[tuple[str, Union[str, Sequence[float]]]],
    overrides: list[str],
    runs: int,
    seed: int,
    threads: Optional[int],
) -> Result: ...
def trace(scenario: Scenario, overrides: list[str], seed: int, run: int) -> Result: ...
def backtest(
    data_dir: str,
    templates: Optional[list[str]],
    group: str,
    scale: float,
    by: list[str],
    overrides: list[str],
    runs: int,
    seed: int,
    threads: Optional[int],
) -> Result: ...
def sensitivity(
    scenario: Scenario,
    overrides: list[str],
    runs: int,
    seed: int,
    threads: Optional[int],
) -> Result: ...
def bundled() -> list[str]: ...
def templates() -> list[str]: ...

