#!/usr/bin/env bash
# Checks that every resource feature compiles on its own, and with none at
# all: `cargo check --no-default-features --features <resource>` for each one
# in Cargo.toml's resource block. Prints one line per feature and a summary;
# exits non-zero if any fails. About 5 s per feature on a 2-core machine once
# dependencies are built.
set -uo pipefail
cd "$(dirname "$0")/.."

features=$(sed -n '/^# BEGIN resource features/,/^# END resource features/p' Cargo.toml \
  | grep -E '^[a-z_0-9]+ = \[\]$' | cut -d' ' -f1)
passed=0
failed=0
check() {
  if cargo check -q --no-default-features "$@" 2>/tmp/check-features.err; then
    passed=$((passed + 1))
    echo "ok      ${*:-(no features)}"
  else
    failed=$((failed + 1))
    echo "FAILED  ${*:-(no features)}"
    grep -E '^error' /tmp/check-features.err | head -5
  fi
}
check
for feature in $features; do
  check --features "$feature"
done
echo "features: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
