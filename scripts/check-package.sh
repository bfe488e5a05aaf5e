#!/usr/bin/env bash
# Packages every workspace crate as it would go to crates.io, then builds and
# runs a crate outside the workspace (scripts/downstream) that depends on
# them from the unpacked .crate files, running the README example against a
# local server. That build is the proof the packages are complete, so
# `cargo package` itself skips its own verification build (which would
# compile the client a second time). The target dir is shared, so only the
# two packaged crates are compiled anew.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
target=${CARGO_TARGET_DIR:-$root/target}

# --allow-dirty: CI's clone is clean; a developer runs this before committing.
cargo package --workspace --locked --no-verify --allow-dirty
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
for crate in losant-rest losant-rest-codegen; do
  file="$target/package/$crate-$version.crate"
  tar -xzf "$file" -C "$scratch"
  # What ships: no tests, snapshots, CI or scripts.
  if tar -tzf "$file" | grep -E '/(tests|benches|scripts|\.ci)/|\.snap$'; then
    echo "error: $crate ships files a build does not need (above)" >&2
    exit 1
  fi
  echo "$crate: $(tar -tzf "$file" | wc -l) files, $(du -k "$file" | cut -f1) KiB packed"
done

cp -r scripts/downstream "$scratch/downstream"
cp Cargo.lock "$scratch/downstream/Cargo.lock"
cat >>"$scratch/downstream/Cargo.toml" <<TOML

[patch.crates-io]
losant-rest = { path = "../losant-rest-$version" }
losant-rest-codegen = { path = "../losant-rest-codegen-$version" }
TOML
(cd "$scratch/downstream" && CARGO_TARGET_DIR="$target" cargo run --quiet)
