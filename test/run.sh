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
# Loopback only, twice over: the CLI's own --allow-targets for every run of the binary, and a guard in
# every test process that refuses any packet, DNS query or name lookup towards anything else.
export MATRIXDOC_ALLOW_TARGETS='127.0.0.0/8,::1'
# A test that hangs fails after 5 minutes instead of holding CI; servers a failed test left running are
# killed by the harness once its file is done (test/harness/processes.ts). Not --test-force-exit: with
# Node 20 it can end a file between two of its suites, dropping tests without a failure.
node --import tsx --import ./test/setup/loopback-only.ts --test --test-reporter=spec --test-concurrency=2 \
  --test-timeout=300000 "${files[@]}"
