#!/usr/bin/env bash
# Every performance figure of docs/performance.md in one command: the exactly counted reports, the micro-benchmarks
# (BenchmarkDotNet, in-process) and the load tool (bus, ingest, relay; medians of 3 runs). Writes the tables to
# artifacts/performance/ and puts them together in docs/performance-latest.md. Needs the .NET 10 SDK, and mosquitto
# for the Mosquitto ingest rows (`bash .ci/install-peers`). Takes about half an hour on 2 cores; run nothing else
# CPU-heavy meanwhile. `--quick` uses BenchmarkDotNet's short job and 1 load-test run (figures for a glance only).
set -euo pipefail
cd "$(dirname "$0")/../.."
out=artifacts/performance
job=()
runs=3
if [ "${1:-}" = "--quick" ]; then
  job=(--job short)
  runs=1
fi

mkdir -p "$out"
dotnet build -c Release tests/EdgeMeter.Benchmarks/EdgeMeter.Benchmarks.csproj
dotnet build -c Release tests/EdgeMeter.LoadTest/EdgeMeter.LoadTest.csproj
dotnet run -c Release --no-build --project tests/EdgeMeter.Benchmarks -- reports --out "$out"
dotnet run -c Release --no-build --project tests/EdgeMeter.Benchmarks -- --filter '*' --inProcess "${job[@]}" --out "$out"
dotnet run -c Release --no-build --project tests/EdgeMeter.LoadTest -- all --runs "$runs" --out "$out"
dotnet run -c Release --no-build --project tests/EdgeMeter.LoadTest -- pinned --runs "$runs" --out "$out/pinned"
dotnet run -c Release --no-build --project tests/EdgeMeter.LoadTest -- pinned-tail --out "$out/pinned-tail"
dotnet run -c Release --no-build --project tests/EdgeMeter.LoadTest -- group --runs "$runs" --out "$out/group"

{
  echo "# Latest performance figures"
  echo
  echo "Written by \`tests/bench/run-all.sh\` on $(date -u +%Y-%m-%d) at commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)."
  echo "How to read them, the targets and the notes: [performance.md](performance.md)."
  echo
  cat "$out/reports.md" "$out/micro.md" "$out/loadtest.md" "$out/pinned/loadtest.md" "$out/pinned-tail/loadtest.md" "$out/group/loadtest.md"
} > docs/performance-latest.md
echo "wrote docs/performance-latest.md"
