#!/usr/bin/env bash
# The long fuzz run (`npm run fuzz`): test/fuzz.test.ts with many more cases than `npm test`
# runs. FUZZ_RUNS (default 20000) cases per property; FUZZ_SEED to replay a failure fast-check
# printed. Builds first: the pathological-size cases run the built binary.
set -euo pipefail
cd "$(dirname "$0")/.."
npm run build --silent
FUZZ_RUNS=${FUZZ_RUNS:-20000} npx vitest run test/fuzz.test.ts --testTimeout=3600000 "$@"
