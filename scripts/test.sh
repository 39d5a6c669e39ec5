#!/usr/bin/env bash
# The whole test suite: linters, types, layers, then every test tier against real SQLite,
# a throwaway PostgreSQL cluster, Debian's Chromium, Go and poppler-utils (installed here when
# missing).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin

need_apt=()
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && ! command -v initdb >/dev/null 2>&1; then
  need_apt+=(postgresql)
fi
if [ ! -x /usr/bin/chromium ]; then
  need_apt+=(chromium)
fi
# poppler's pdftotext: the report tests read the text of the PDFs they build
if ! command -v pdftotext >/dev/null 2>&1; then
  need_apt+=(poppler-utils)
fi
# Go and golang.org/x/mod from Debian: the independent verifier of tests/interop
if ! command -v go >/dev/null 2>&1; then
  need_apt+=(golang-go)
fi
if [ ! -d /usr/share/gocode/src/golang.org/x/mod/sumdb/note ]; then
  need_apt+=(golang-golang-x-mod-dev)
fi
if [ "${#need_apt[@]}" -gt 0 ] && [ "${1:-}" != "--checks-only" ]; then
  echo "installing ${need_apt[*]} from Debian's packages"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

echo "== ruff"
$BIN/ruff check src tests bench
$BIN/ruff format --check src tests bench
echo "== mypy (strict: domain, ledger, projections, app)"
$BIN/mypy
echo "== import-linter (design.md layers)"
$BIN/lint-imports
[ "${1:-}" = "--checks-only" ] && exit 0

echo "== the offline runtime (Pyodide from npm, msgspec and tzdata from PyPI, pinned by SHA-256)"
$BIN/python scripts/offline_runtime.py
echo "== pytest"
$BIN/python -m pytest tests -q -p no:cacheprovider
