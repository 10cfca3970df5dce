#!/usr/bin/env bash
# Times each test task the way CI runs them and writes docs/test-times.md:
#   scripts/node24 bash scripts/bench-tests.sh
# The figures are wall-clock seconds on the machine it ran on (cores and
# memory are written down with them); they are measurements for planning,
# never assertions in a test. Targets (issue 16): test:all within 15 minutes
# and test:fast within 2 minutes on a 2-core machine.
set -euo pipefail
cd "$(dirname "$0")/.."
out=docs/test-times.md
rows=()
total=0
time_task() { # task
  local start=$SECONDS
  if npx projen "$1" >"${TMPDIR:-/tmp}/bench-tests-$$.log" 2>&1; then status=passed; else status=FAILED; fi
  local took=$((SECONDS - start))
  total=$((total + took))
  rows+=("| \`$1\` | $took s | $status |")
  echo "bench-tests: $1 $status in $took s" >&2
}
# test:fast first, then the tasks test:all runs, in its order.
time_task test:fast
fast_only=$total
total=0
for task in test test:integration test:package test:bindings release:dry-run; do time_task "$task"; done
rm -f "${TMPDIR:-/tmp}/bench-tests-$$.log"
{
  echo "# Test times"
  echo
  echo "Written by \`scripts/node24 bash scripts/bench-tests.sh\` on $(date -u +%Y-%m-%d), on a machine with"
  echo "$(nproc) cores and $(awk '/MemTotal/ {printf "%.0f", $2/1048576}' /proc/meminfo) GiB, Node.js $(node --version)."
  echo "Wall-clock seconds of each task run alone (\`npx projen <task>\`); \`test:all\` runs"
  echo "the last five in this order, after the commit message check (a few seconds) and regenerating API.md before the release dry run. Targets: \`test:fast\` within"
  echo "2 minutes, \`test:all\` within 15. The package caches (npm, pip, Go modules) were"
  echo "warm, as on a machine that has run the suite before; a new machine downloads more."
  echo
  echo "| task | time | result |"
  echo "| --- | --- | --- |"
  printf '%s\n' "${rows[@]}"
  echo
  verdict() { if [ "$1" -le "$2" ]; then echo within; else echo over; fi; }
  echo "\`test:fast\`: $fast_only s, $(verdict "$fast_only" 120) its 2-minute target. The five tasks of \`test:all\`: $total s ($((total / 60)) min $((total % 60)) s), $(verdict "$total" 900) its 15-minute target."
} >"$out"
cat "$out"
