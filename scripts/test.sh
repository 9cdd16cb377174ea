#!/usr/bin/env bash
# The whole test suite from a fresh clone: install what the tests need, build, run vitest, and end with the
# plain "N passed, N failed" line that CI reads (it does not read vitest's own summary).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
# What the tests need beyond npm: a real Jupyter kernel (cellwise stale) and Chromium (the viewer's e2e
# tests). Each script installs only what is missing and fails loudly when it cannot: in CI no test is
# skipped for a missing tool.
for setup in scripts/setup-kernel.sh scripts/setup-browser.sh; do
  if [ -f "$setup" ]; then bash "$setup"; fi
done
npm run --silent build
npm run --silent typecheck
report=.vitest-report.json
rm -f "$report"
status=0
npx vitest run --reporter=default --reporter=json --outputFile.json="$report" "$@" || status=$?
if [ -f "$report" ]; then
  node -e '
    const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const skipped = r.numPendingTests + r.numTodoTests;
    console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed` + (skipped ? `, ${skipped} skipped` : ""));
  ' "$report"
else
  echo "0 passed, 1 failed"
  status=1
fi
exit $status
