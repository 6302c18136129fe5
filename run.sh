#!/usr/bin/env bash
# Restores dependencies and runs the crash demo of the sample (arguments go to samples/SiloHost; "silo" runs one silo).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$root"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
bash "$root/tools/npm-install.sh"
dotnet run --project samples/SiloHost -c Release -- "$@"
