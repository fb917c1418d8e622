#!/usr/bin/env bash
# The whole test suite, as CI runs it from a fresh clone: install what the tests need, build,
# type-check, lint, then run every test with Node's test runner (its closing summary is what CI reads).
set -euo pipefail
cd "$(dirname "$0")/.."

bash test/setup/install-system-packages.sh
npm ci --no-audit --no-fund --loglevel=error
npm run --silent build
echo "== type-check"
npx tsc --noEmit -p tsconfig.test.json
echo "== lint"
npx biome check --error-on-warnings --reporter=summary .
echo "== tests"
mapfile -t files < <(find test -name '*.test.ts' | sort)
node --import tsx --test --test-reporter=spec --test-concurrency=2 "${files[@]}"
