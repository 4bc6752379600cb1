#!/usr/bin/env bash
# Builds the Python package (crates/deid-py) into the virtualenv .venv at the repo root and runs
# its pytest suite. Needs only Rust, Python >= 3.10 (python3, or $PYTHON), Java 17 for the Spark
# test, and access to PyPI and crates.io. Extra arguments go to pytest, e.g.
#   scripts/test_python.sh -k golden -x
#   scripts/test_python.sh -m "not spark"
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

venv="$root/.venv"
if [ ! -x "$venv/bin/python" ]; then
    echo "==> creating $venv"
    "${PYTHON:-python3}" -m venv "$venv" || {
        echo "error: cannot create $venv (on Debian/Ubuntu: apt install python3-venv)" >&2
        exit 1
    }
fi
py="$venv/bin/python"
# Tools the build calls by name (maturin) must come from the venv.
export VIRTUAL_ENV="$venv"
export PATH="$venv/bin:$PATH"
quiet_pip() { "$py" -m pip --quiet --disable-pip-version-check "$@"; }

# Test dependencies: installed once, again only when this list changes.
deps=(
    "maturin>=1.9.4,<2"
    "pytest>=8,<10"
    "mypy>=1.10,<3"
    "pandas>=2.2,<3"
    "pyarrow>=15,<27"
    "pyspark>=4.0,<5"
    "polars>=1,<2"
)
stamp="$venv/.deid-test-deps"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "${deps[*]}" ]; then
    echo "==> installing test dependencies into .venv"
    quiet_pip install --upgrade pip
    quiet_pip install "${deps[@]}"
    printf '%s' "${deps[*]}" >"$stamp"
fi

# Build the wheel with the workspace's target dir (so cargo reuses earlier builds) and install
# it the way users do. No build isolation: maturin is already in the venv.
echo "==> building and installing crates/deid-py"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"
quiet_pip install --no-build-isolation --no-deps --force-reinstall ./crates/deid-py

# The deid CLI binary, for the tests that hold the Python API to the CLI's validation.
echo "==> building the deid CLI (target/debug/deid)"
cargo build --quiet -p deid-cli
export DEID_CLI="$CARGO_TARGET_DIR/debug/deid"

echo "==> pytest crates/deid-py/tests"
export PYSPARK_PYTHON="$py"
"$py" -m pytest crates/deid-py/tests "$@"
