#!/usr/bin/env bash
# Measures what the generated client costs to build: cold debug and release
# builds of the full client and of the `org` feature alone (each in a fresh
# target directory, so dependencies are included), with wall time and peak
# memory; the rebuild after a one-line spec change; and the size of the
# generated code. CPU is user + sys of the whole build: on a busy machine it
# moves much less than wall time. Run it on a quiet machine.
# Usage: scripts/build-cost.sh [OUTPUT_FILE]
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-/dev/stdout}
scratch=$(mktemp -d)
# Put the spec back even if a build fails halfway.
trap 'if [ -f "$scratch/org.yaml" ]; then cp "$scratch/org.yaml" spec/resources/org.yaml; fi; rm -rf "$scratch"' EXIT

measure() { # label, cargo args...
  local label=$1; shift
  local target="$scratch/target-$RANDOM"
  /usr/bin/time -f "%e %U %S %M" -o "$scratch/time" \
    env CARGO_TARGET_DIR="$target" cargo build -q --locked -p losant-rest "$@" 2>/dev/null
  read -r seconds user sys kib < "$scratch/time"
  printf '| %s | %s s | %s s | %s MiB |\n' "$label" "$seconds" "$(awk "BEGIN{print $user + $sys}")" "$((kib / 1024))"
  rm -rf "$target"
}

{
  echo "Measured $(date -u +%Y-%m-%d) on $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(rustc --version), load average $(cut -d' ' -f1-3 /proc/loadavg) at the start."
  echo
  echo "| build | wall time | CPU | peak memory |"
  echo "| --- | --- | --- | --- |"
  measure "debug, all resources (default)"
  measure "debug, all resources, and a program that calls two actions (examples/org_summary)" --example org_summary
  # This workspace's dev profile keeps line tables only; a downstream crate
  # gets cargo's default, full debug info, for its dependencies too.
  CARGO_PROFILE_DEV_DEBUG=true measure "debug, all resources, full debug info (cargo's default dev profile)"
  measure "debug, \`org\` only" --no-default-features --features org
  measure "release, all resources" --release
  # What a program that uses the client pays: the client compiles no
  # decoder a caller does not use (`#[inline]` pagers and union decoders),
  # so the program compiles those of the actions it calls.
  measure "release, all resources, and a program that calls two actions (examples/org_summary)" --release --example org_summary
  measure "release, \`org\` only" --release --no-default-features --features org
  # Incremental: the full debug build, then one changed line in the spec
  # (an action's summary), then the rebuild.
  target="$scratch/target-incremental"
  CARGO_TARGET_DIR="$target" cargo build -q --locked -p losant-rest 2>/dev/null
  cp spec/resources/org.yaml "$scratch/org.yaml"
  sed -i 's/^  summary: Retrieves information on an organization$/  summary: Retrieves information on one organization/' spec/resources/org.yaml
  /usr/bin/time -f "%e %U %S %M" -o "$scratch/time" env CARGO_TARGET_DIR="$target" cargo build -q --locked -p losant-rest 2>/dev/null
  cp "$scratch/org.yaml" spec/resources/org.yaml
  read -r seconds user sys kib < "$scratch/time"
  printf '| debug rebuild after a one-line spec change | %s s | %s s | %s MiB |\n' "$seconds" "$(awk "BEGIN{print $user + $sys}")" "$((kib / 1024))"
  echo
  cargo run -q -p losant-rest-codegen -- generate spec --out "$scratch/generated" >/dev/null 2>&1
  lines=$(cat "$scratch"/generated/*.rs | wc -l)
  echo "Generated code: $lines lines in $(ls "$scratch"/generated/*.rs | wc -l) files."
} | tee "$out"
