#!/usr/bin/env bash
# Builds the device image the way a board gets it and runs the on-device tests on nanoCLR, on Linux.
#
#   build/nano/device-check.sh NANO_DIR
#
# NANO_DIR holds what nanoFramework provides (never copied into this repository; build/nano/README.md says how to
# get each piece):
#   lib/             the nanoFramework library assemblies (.dll/.exe, their .pe where available) at the versions of
#                    the projects' packages.config
#   mdp/mdp.dll      the metadata processor, command line: IN.dll OUT.pe isCoreLibrary REFERENCE_DIR...
#   nanoclr          nanoFramework.nanoCLR.test from nf-interpreter's targets/posix (runs the on-device tests)
#   nf-interpreter/  the nf-interpreter sources the board firmware is built from (optional: native checksums)
# Each can be put elsewhere with NANO_LIB, NANO_MDP, NANO_CLR, NANO_INTERPRETER.
#
# It compiles EdgeMeter.Core.Protocols, EdgeMeter.Core, EdgeMeter.Firmware and the on-device tests (NFUnitTest) against the real libraries,
# checks our API declarations against them, turns every assembly into a .pe with the metadata processor, prints
# their sizes against the tables' limits and the deployment against the partition, compares native checksums with
# the nf-interpreter sources, and runs NFUnitTest on nanoCLR. The report goes to NANO_DIR/device-check.md.
# Exit status: 0 when everything passed, 1 when a check or a test failed, 2 when something it needs is missing.
set -euo pipefail

if [ $# -ne 1 ] || [ ! -d "$1" ]; then
  echo "usage: build/nano/device-check.sh NANO_DIR   (see the comment at the top of this script)" >&2
  exit 2
fi

repo=$(cd "$(dirname "$0")/../.." && pwd)
nano=$(cd "$1" && pwd)
lib=${NANO_LIB:-$nano/lib}
mdp=${NANO_MDP:-$nano/mdp/mdp.dll}
clr=${NANO_CLR:-$nano/nanoclr}
interpreter=${NANO_INTERPRETER:-$nano/nf-interpreter}
out=$nano/edgemeter
report=$nano/device-check.md
partition=$((0x1C0000)) # deployment partition of ESP32 boards with 4 MB of flash (nf-interpreter's partition table)

missing=0
[ -d "$lib" ] && ls "$lib"/*.dll >/dev/null 2>&1 || { echo "missing: the nanoFramework libraries in $lib" >&2; missing=1; }
[ -f "$mdp" ] || { echo "missing: the metadata processor at $mdp" >&2; missing=1; }
[ -x "$clr" ] || { echo "missing: nanoCLR (nanoFramework.nanoCLR.test) at $clr" >&2; missing=1; }
[ "$missing" -eq 0 ] || exit 2

failures=0
fail() { echo "FAILED: $1" >&2; failures=$((failures + 1)); }
section() { printf '\n## %s\n\n' "$1" | tee -a "$report"; }

rm -rf "$out" && mkdir -p "$out/pe" "$out/run"
: > "$report"
echo "# EdgeMeter device check ($(date -u +%Y-%m-%d), $(git -C "$repo" rev-parse --short HEAD))" | tee -a "$report"

nanocheck="dotnet $repo/build/nano/NanoCheck/bin/Debug/net10.0/nanocheck.dll"
section "Compiled against the real libraries"
for project in firmware/EdgeMeter.Firmware/EdgeMeter.Firmware.nfproj tests/EdgeMeter.Firmware.Tests/EdgeMeter.Firmware.Tests.nfproj; do
  if ! dotnet build "$repo/$project" -nologo -p:NanoLibraries="$lib" > "$out/build.log" 2>&1; then
    grep -E "error" "$out/build.log" | sort -u | sed 's/^ */    /' | tee -a "$report"
    fail "dotnet build $project against $lib"
  fi
done
compiled=("$repo/firmware/EdgeMeter.Core.Protocols/obj/nano-libraries/EdgeMeter.Core.Protocols.dll"
          "$repo/firmware/EdgeMeter.Core/obj/nano-libraries/EdgeMeter.Core.dll"
          "$repo/firmware/EdgeMeter.Firmware/obj/nano-libraries/EdgeMeter.Firmware.exe"
          "$repo/tests/EdgeMeter.Firmware.Tests/obj/nano-libraries/NFUnitTest.dll")
$nanocheck budget "${compiled[@]}" | sed 's/^/    /' | tee -a "$report" || fail "over a table budget"

section "Our declarations (build/nano/api) against the real libraries"
$nanocheck api "$repo/build/nano/NanoCheck/obj/nano-api" "$lib" | sed 's/^/    /' | tee -a "$report" || fail "declarations differ from the real libraries"

section "Metadata processor"
mscorlib=${NUGET_PACKAGES:-$HOME/.nuget/packages}/nanoframework.corelibrary/1.17.11/lib
refs=("$mscorlib" "$lib" "$repo/firmware/EdgeMeter.Core.Protocols/obj/nano-libraries" "$repo/firmware/EdgeMeter.Core/obj/nano-libraries")
to_pe() { # ASSEMBLY: its .pe from the library folder, else made by the metadata processor
  local name; name=$(basename "${1%.*}")
  if [ -f "$(dirname "$1")/$name.pe" ]; then cp "$(dirname "$1")/$name.pe" "$out/pe/"; return; fi
  if dotnet "$mdp" "$1" "$out/pe/$name.pe" false "${refs[@]}" > "$out/pe/$name.mdp.log" 2>&1; then
    echo "    $name: $(tail -1 "$out/pe/$name.mdp.log")" | tee -a "$report"
  else
    fail "the metadata processor refused $name: $(grep -m1 -i 'exception\|error\|overflow' "$out/pe/$name.mdp.log" || tail -1 "$out/pe/$name.mdp.log")"
  fi
}
cp "$mscorlib/mscorlib.pe" "$out/pe/"
for assembly in "$lib"/*.dll "$lib"/*.exe; do [ -f "$assembly" ] && to_pe "$assembly"; done
for assembly in "${compiled[@]}"; do to_pe "$assembly"; done

section "Deployment image (EdgeMeter.Firmware and what it references)"
deployment=("$out/pe/mscorlib.pe")
for name in $(grep -o '<Reference Include="[^"]*"' "$repo/firmware/EdgeMeter.Firmware/EdgeMeter.Firmware.nfproj" | cut -d'"' -f2 | grep -v '^mscorlib$'); do
  deployment+=("$out/pe/$name.pe")
done
deployment+=("$out/pe/EdgeMeter.Core.Protocols.pe" "$out/pe/EdgeMeter.Core.pe" "$out/pe/EdgeMeter.Firmware.pe")
$nanocheck pe --partition "$partition" "${deployment[@]}" | tee -a "$report" || fail "reading the .pe images"

section "Native checksums against the board firmware's sources"
if [ -d "$interpreter/src" ]; then
  echo "nf-interpreter $(git -C "$interpreter" log -1 --format='%h %cs' 2>/dev/null || echo '(not a git checkout)')" | tee -a "$report"
  echo | tee -a "$report"
  $nanocheck natives "$interpreter" "${deployment[@]}" | tee -a "$report" || fail "native checksums differ: this application needs another board firmware (nf-boards.md)"
else
  echo "skipped: no nf-interpreter sources at $interpreter" | tee -a "$report"
fi

section "On-device tests on nanoCLR ($(basename "$clr"))"
# nanoCLR runs static constructors in load order without waiting for referenced assemblies, and the posix host
# loads its arguments sorted by path: number them in dependency order.
tests=("$out/pe/mscorlib.pe" "$out/pe/nanoFramework.UnitTestLauncher.pe" "$out/pe/nanoFramework.TestFramework.pe" "$out/pe/EdgeMeter.Core.Protocols.pe" "$out/pe/EdgeMeter.Core.pe" "$out/pe/NFUnitTest.pe")
for name in $(grep -o '<Reference Include="[^"]*"' "$repo/tests/EdgeMeter.Firmware.Tests/EdgeMeter.Firmware.Tests.nfproj" | cut -d'"' -f2); do
  tests+=("$out/pe/$name.pe")
done
i=10
for image in $($nanocheck order $(printf '%s\n' "${tests[@]}" | sort -u)); do
  cp "$image" "$out/run/$i-$(basename "$image")"; i=$((i + 1))
done
(cd "$out/run" && timeout 600 "$clr" $(ls *.pe | sort) > "$out/nanoclr.log" 2>&1) || true
passed=$(grep -c '^Test passed,' "$out/nanoclr.log" || true)
failed=$(grep -c '^Test failed,' "$out/nanoclr.log" || true)
skipped=$(grep -c '^Test skipped,' "$out/nanoclr.log" || true)
echo "$passed passed, $failed failed, $skipped skipped (log: $out/nanoclr.log)" | tee -a "$report"
grep -E '^Test (failed|skipped),' "$out/nanoclr.log" | sed 's/^/    /' | tee -a "$report" || true
grep -q '^Done\.' "$out/nanoclr.log" || fail "nanoCLR did not finish the test run (see $out/nanoclr.log)"
[ "$failed" -eq 0 ] || fail "$failed on-device test(s) failed"
[ "$passed" -gt 0 ] || fail "no on-device test ran"

echo
if [ "$failures" -eq 0 ]; then
  echo "device check passed; report: $report"
else
  echo "device check: $failures check(s) failed; report: $report" >&2
  exit 1
fi
