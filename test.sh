#!/usr/bin/env bash
# Restores every dependency (npm packages for Azurite, NuGet packages), builds the solution and runs all tests.
# Tests start their own Azurite on 127.0.0.1; set AZURITE_CONNECTION_STRING to use another storage account.
# Extra arguments go to 'dotnet test', for example: ./test.sh --filter FullyQualifiedName~Storage
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$root"

configuration="${CONFIGURATION:-Release}"
results="$root/artifacts/test-results"
export IMMORTALS_TEST_RUN_ID="${IMMORTALS_TEST_RUN_ID:-$$-$(date +%s)}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

# Kills any Azurite that a crashed test host left behind. Each Azurite of this run has a working directory
# named after the run id.
stop_leftover_azurite() {
  local pid
  for pid in $(pgrep -f 'node_modules/azurite/dist/src/azurite.js' || true); do
    if readlink "/proc/$pid/cwd" 2>/dev/null | grep -q "immortals-azurite-$IMMORTALS_TEST_RUN_ID"; then
      kill -9 "$pid" 2>/dev/null || true
    fi
  done
}
trap stop_leftover_azurite EXIT

bash "$root/tools/npm-install.sh"

dotnet restore Immortals.Orleans.sln
dotnet build Immortals.Orleans.sln --no-restore -c "$configuration"

rm -rf "$results"
status=0
dotnet test Immortals.Orleans.sln --no-build -c "$configuration" \
  --logger "trx" --logger "console;verbosity=normal" --results-directory "$results" \
  --blame-hang-timeout 10m "$@" || status=$?

# One closing line over all test assemblies, summed from the TRX reports.
passed=0 failed=0 skipped=0
for trx in "$results"/*.trx; do
  [ -e "$trx" ] || continue
  counters="$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)"
  total="$(sed -n 's/.* total="\([0-9]*\)".*/\1/p' <<<"$counters")"
  p="$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")"
  f="$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")"
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0}))
  skipped=$((skipped + ${total:-0} - ${p:-0} - ${f:-0}))
done
echo "$passed passed, $failed failed, $skipped skipped"
exit "$status"
