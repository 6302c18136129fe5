#!/usr/bin/env bash
# Runs every benchmark scenario: frames, storage-floor, dtfx, immortal, overhead, recovery and scale, then summary,
# which combines the figures of this invocation into the goal ratios. Each scenario prints Markdown tables and merges
# its figures into bench/results/latest.json. The Azure Storage scenarios start their own Azurite on 127.0.0.1.
# Usage: bench/run.sh [--quick|--full]   (--quick, under 5 minutes on 2 cores, is the default)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

mode="${1:---quick}"
case "$mode" in
  --quick) flag="--quick" ;;
  --full) flag="" ;;
  *) echo "usage: bench/run.sh [--quick|--full]" >&2; exit 2 ;;
esac

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
bash "$root/tools/npm-install.sh"

project=bench/Immortals.Orleans.Benchmarks
dotnet build "$project" -c Release
export IMMORTALS_BENCH_RUN="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "run $IMMORTALS_BENCH_RUN on $(nproc) cores, $(uname -sr), load average: $(cut -d' ' -f1-3 /proc/loadavg)"
for scenario in frames storage-floor dtfx immortal overhead recovery scale summary; do
  echo
  echo "== $scenario (load average: $(cut -d' ' -f1-3 /proc/loadavg)) =="
  dotnet "$project/bin/Release/net10.0/Immortals.Orleans.Benchmarks.dll" "$scenario" $flag
done
echo
echo "finished at $(date -u +%H:%M:%SZ), load average: $(cut -d' ' -f1-3 /proc/loadavg)"
