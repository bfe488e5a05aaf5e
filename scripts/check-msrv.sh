#!/usr/bin/env bash
# Checks that the `rust-version` our packages declare is true of the locked
# dependency tree: it must be at least the highest `rust-version` any locked
# package declares (no second toolchain can be installed to build with it, so
# this is the check). Prints the highest and which package sets it.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo metadata --locked --format-version 1 | python3 -c '
import json, sys

def key(version):
    return tuple(int(part) for part in (version.split(".") + ["0", "0"])[:3])

meta = json.load(sys.stdin)
members = set(meta["workspace_members"])
ours = {p["name"]: p.get("rust_version") for p in meta["packages"] if p["id"] in members}
deps = [(p["rust_version"], p["name"] + " " + p["version"])
        for p in meta["packages"] if p["id"] not in members and p.get("rust_version")]
highest, who = max(deps, key=lambda d: key(d[0]))
print(f"highest rust-version in the locked dependencies: {highest} ({who})")
bad = [name for name, declared in ours.items() if declared is None or key(declared) < key(highest)]
for name in bad:
    print(f"error: {name} declares rust-version {ours[name]}, below {highest} ({who})")
if bad:
    sys.exit(1)
print("rust-version ok: " + ", ".join(f"{name} {declared}" for name, declared in sorted(ours.items())))
'
