#!/usr/bin/env bash
# The one test command (README "Running the tests"; .ci/run runs exactly this).
# Rust: format check, clippy, every workspace test (unit, golden cases, CLI golden files,
# property tests, fuzz regressions, accuracy guard on both gold corpora, the review page in
# headless Chromium and Firefox ESR: as root it installs Debian's chromium, chromium-driver and
# firefox-esr when missing, and builds geckodriver from crates.io once), the built-in rules'
# self-check, the synthetic recall check (scripts/synthetic_recall.py), the risk checks (own and
# held-out vignette panels, synthetic-town calibration; tests/risk), the fuzz targets
# compile, the criterion benches compile (release build, not run); then the Python package is
# built into .venv and its pytest suite (API, offsets, threads, pandas, stubtest, Spark local
# mode) runs.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

echo "==> cargo fmt --check"
cargo fmt --all -- --check

echo "==> cargo clippy"
cargo clippy --workspace --all-targets --quiet -- -D warnings

# The review page's browser test (crates/deid-cli/tests/serve_page.rs) runs the same scenario in
# Debian's headless Chromium (through chromedriver) and Firefox ESR (through geckodriver). As
# root with apt-get, the Debian packages are installed when missing. geckodriver is not packaged
# by Debian; the only route to it through the package registries is crates.io, so it is built
# with cargo (pinned, --locked) once into ~/.cache/deid-tools and reused from there. Once a
# browser and its driver are there, its test must run, not skip.
packages=()
{ [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; } || packages+=(chromium chromium-driver)
[ -x /usr/bin/firefox-esr ] || packages+=(firefox-esr)
if [ "${#packages[@]}" -gt 0 ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "==> installing ${packages[*]} (Debian packages) for the browser tests"
    export DEBIAN_FRONTEND=noninteractive
    for attempt in 1 2; do
        if apt-get -qq update >/dev/null &&
            apt-get -qq install -y --no-install-recommends "${packages[@]}" >/dev/null; then
            break
        fi
        [ "$attempt" = 2 ] && { echo "error: cannot install ${packages[*]}" >&2; exit 1; }
        sleep 5
    done
fi
if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
    export DEID_REQUIRE_BROWSER=1
else
    echo "note: no Chromium (not root, or no apt-get): the Chromium test of deid serve's page is skipped"
fi
tools="$HOME/.cache/deid-tools"
if [ -x /usr/bin/firefox-esr ] && [ ! -x "$tools/bin/geckodriver" ]; then
    echo "==> building geckodriver 0.37.1 (crates.io) into $tools for the Firefox test"
    cargo install --quiet --root "$tools" geckodriver --version 0.37.1 --locked
fi
if [ -x /usr/bin/firefox-esr ] && [ -x "$tools/bin/geckodriver" ]; then
    export DEID_GECKODRIVER="$tools/bin/geckodriver" DEID_REQUIRE_FIREFOX=1
else
    echo "note: no Firefox ESR (not root, or no apt-get): the Firefox test of deid serve's page is skipped"
fi

echo "==> cargo test (workspace)"
cargo test --workspace --quiet

echo "==> deid rules check (built-in rules)"
cargo run --quiet -p deid-cli -- rules check

echo "==> synthetic recall (note templates x dictionary names; no gold text)"
python3 scripts/synthetic_recall.py --deid target/debug/deid --min 0.97

echo "==> generated notes, held-out frames (six countries, 15 styles, three cases; no gold text)"
python3 scripts/synth_check.py --deid target/debug/deid --split heldout --min 0.89

echo "==> invented probe tables (identifiers of the six countries; lines_test.txt and speech_test.txt held out)"
python3 scripts/probe.py tests/probes/lines_test.txt target/debug/deid --max-missed 22 | tail -1
python3 scripts/probe.py tests/probes/ids.txt target/debug/deid --max-missed 16 | tail -1
python3 scripts/probe.py tests/probes/speech_test.txt target/debug/deid --max-missed 50 | tail -1

echo "==> re-identification risk: own panel, held-out panel, synthetic-town calibration"
python3 tests/risk/test_harness.py
python3 tests/risk/build_panel.py --check
python3 scripts/risk_panel.py --deid target/debug/deid --min-flagged 0.9 --min-green 0.75
python3 scripts/risk_panel.py --deid target/debug/deid --panel tests/risk/heldout/panel.jsonl \
    --min-flagged 0.7 --min-green 0.65
python3 scripts/risk_calibration.py --deid target/debug/deid --max-error 0.2 --min-unique-flagged 0.95

echo "==> fuzz targets compile"
cargo check --quiet --manifest-path fuzz/Cargo.toml

echo "==> benches compile"
cargo bench --no-run --quiet -p deid-core

echo "==> Python package"
bash scripts/test_python.sh -q
