#!/usr/bin/env bash
# Side by side: treaty against NegMAS 0.16.0 on scenarios/bench-pie.ron and scenarios/bench-6x8.ron.
#
#   bash benches/negmas/run.sh [--negmas-only] [--seed S] [--seconds T] [--json FILE] ...
#
# Needs python3 (3.10 or newer, with venv and pip), network access to PyPI the first time, and
# cargo. Makes a virtual environment under target/negmas-venv (reused on later runs; set
# NEGMAS_VENV to put it elsewhere), installs negmas==0.16.0 into it, builds treaty in release, then
# runs negmas_bench.py, which plays both scenarios on both sides and prints negotiations per
# second and the ratio. `--negmas-only` skips treaty (and cargo). Other options are passed to
# negmas_bench.py (`bash benches/negmas/run.sh --help` lists them).
set -euo pipefail

NEGMAS_VERSION=0.16.0
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
target="${CARGO_TARGET_DIR:-$repo/target}"
venv="${NEGMAS_VENV:-$target/negmas-venv}"

die() {
    echo "run.sh: $*" >&2
    exit 1
}

with_treaty=1
if [ "${1:-}" = "--negmas-only" ]; then
    with_treaty=0
    shift
fi

command -v python3 >/dev/null 2>&1 ||
    die "python3 not found: install Python 3.10 or newer (NegMAS $NEGMAS_VERSION needs it)"
python3 -c 'import sys; sys.exit(sys.version_info < (3, 10))' ||
    die "python3 is $(python3 -V 2>&1 | cut -d' ' -f2); NegMAS $NEGMAS_VERSION needs 3.10 or newer"
if [ "$with_treaty" = 1 ]; then
    command -v cargo >/dev/null 2>&1 ||
        die "cargo not found: install Rust (https://rustup.rs) to build treaty, or pass --negmas-only"
fi

# The virtual environment, made once and reused.
if [ ! -x "$venv/bin/python" ]; then
    echo "run.sh: making a virtual environment in $venv" >&2
    mkdir -p "$(dirname "$venv")"
    python3 -m venv "$venv" ||
        die "python3 -m venv failed: install the venv module (Debian/Ubuntu: apt-get install python3-venv)"
fi
py="$venv/bin/python"
"$py" -m pip --version >/dev/null 2>&1 ||
    die "pip is missing in $venv: install python3's pip (Debian/Ubuntu: apt-get install python3-pip), then remove $venv and retry"
if ! "$py" -c "import importlib.metadata as m, sys; sys.exit(m.version('negmas') != '$NEGMAS_VERSION')" 2>/dev/null; then
    echo "run.sh: installing negmas==$NEGMAS_VERSION into $venv (a few minutes the first time)" >&2
    "$py" -m pip install --disable-pip-version-check --quiet "negmas==$NEGMAS_VERSION" ||
        die "pip could not install negmas==$NEGMAS_VERSION (is PyPI reachable?)"
fi

cd "$repo"
if [ "$with_treaty" = 0 ]; then
    exec "$py" "$here/negmas_bench.py" --scenarios "$repo/scenarios" "$@"
fi

# treaty, built before any timing so no compile runs while the clocks do.
echo "run.sh: building treaty (cargo build --release)" >&2
cargo build --release || die "cargo build --release failed"
treaty="$target/release/treaty"
[ -x "$treaty" ] || die "no treaty binary at $treaty after the build"
exec "$py" "$here/negmas_bench.py" --scenarios "$repo/scenarios" --treaty "$treaty" "$@"
