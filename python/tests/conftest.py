"""Shared fixtures: the repository's paths and the `treaty` program to compare with."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _binary() -> Path | None:
    given = os.environ.get("TREATY_BIN")
    if given:
        path = Path(given)
        if not path.is_file():
            raise RuntimeError(f"TREATY_BIN={given}: no such file")
        return path
    target = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
    for candidate in (target / "release" / "treaty", ROOT / "target" / "release" / "treaty"):
        if candidate.is_file():
            return candidate
    found = shutil.which("treaty")
    return Path(found) if found else None


@pytest.fixture(scope="session")
def root() -> Path:
    """The repository's root."""
    return ROOT


@pytest.fixture(scope="session")
def cli():
    """Runs the `treaty` program and returns its stdout as bytes (it must succeed, unless
    `status` names the exit code it must end with)."""
    binary = _binary()
    if binary is None:
        pytest.skip(
            "the treaty program is not built: run `cargo build --release` or set TREATY_BIN"
        )

    def run(*args: str, status: int = 0) -> bytes:
        done = subprocess.run(
            [str(binary), *args], cwd=ROOT, capture_output=True, check=False
        )
        assert done.returncode == status, done.stderr.decode()
        return done.stdout

    return run
