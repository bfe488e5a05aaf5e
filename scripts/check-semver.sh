#!/usr/bin/env bash
# Cross-checks `codegen diff` with cargo-semver-checks.
#
# Builds copies of the client package from the bundled spec and from edited
# copies of it (edits confined to the Org resource's types, so rustdoc runs
# with the `org` feature alone), and for each pair asserts what the tools say:
#
# 1. `codegen diff` gives the verdict the edits were made for (for 0.1.0:
#    compatible -> exit 1 and a patch bump, breaking -> exit 2 and a minor bump);
# 2. with the new package's version set to the `next_version` the diff asks
#    for, `cargo semver-checks check-release` passes: the bump suffices;
# 3. with `--release-type minor` (semver-checks' "no breaking change"),
#    semver-checks fails exactly when the diff says breaking: the diff
#    neither misses a break semver-checks sees nor claims one it does not.
#
# The pairs: `compatible` (an action, an optional field, a scope, a summary),
# `breaking` (those, plus a property made required and one removed),
# `twin` (an optional field added to `org` only, whose structural twin
# `orgs.items[]` shares the type `Org`: compatible, as both keep `Org`; built
# with `org` and `orgs`), `float` (an optional `number` field added to
# `orgPatch`, whose struct derived `Eq`: compatible, as no derive a
# compatible change can take away is given; semver-checks sees a lost
# derive), both from the fabricated history of
# codegen/tests/identity_history.rs, and
# `retyped` (a second success body, a field that may now be null). The last
# changes only types: `send()` returns an enum, a field is `Nullable`. That
# breaks callers, and semver-checks 0.51 compares no types
# (obi1kenobi/cargo-semver-checks#149), so for it step 3 is expected to
# differ: the script says so and fails only if semver-checks starts seeing it
# (then make it a plain breaking pair).
#
# Needs cargo-semver-checks (`cargo install cargo-semver-checks --locked
# --version 0.51.0`). Exits non-zero, saying which check disagrees.
# SEMVER_TARGET_DIR: the target dir for the package copies (default: a
# temporary one, removed at the end; set it to keep the build between runs).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
started=$SECONDS

if ! cargo semver-checks --version >/dev/null 2>&1; then
  echo "error: cargo-semver-checks is not installed: cargo install cargo-semver-checks --locked --version 0.51.0" >&2
  exit 1
fi
echo "$(cargo semver-checks --version)"

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
target=${SEMVER_TARGET_DIR:-$scratch/target}

# The generator's CLI, built in the workspace's own target dir.
cargo build --quiet --locked -p losant-rest-codegen
codegen="${CARGO_TARGET_DIR:-$root/target}/debug/codegen"

# A copy of the package (the client, its spec, and the codegen crate its
# build script depends on by path), without build output or history.
copy() {
  mkdir -p "$scratch/$1"
  tar -C "$root" --exclude=./target --exclude=./.git --exclude=./generated --exclude=./docs -cf - . |
    tar -C "$scratch/$1" -xf -
}

# edit PACKAGE FILE FROM TO: replaces the first FROM in PACKAGE/spec/FILE, which must have it.
edit() {
  python3 - "$scratch/$1/spec/$2" "$3" "$4" <<'PY'
import sys
path, old, new = sys.argv[1:]
text = open(path).read()
if old not in text:
    sys.exit(f"error: {path} lacks {old!r}: the edits of scripts/check-semver.sh no longer fit the spec")
open(path, "w").write(text.replace(old, new, 1))
PY
}

# The Org resource gains an action (a new handle method and builder).
new_action='- name: transferResources
'
added_action='- name: usageSummary
  title: Usage Summary
  summary: Returns a summary of the usage of this organization
  method: GET
  path: /usageSummary
  scopes:
  - all.Organization
  - org.*
  responses:
  - status: 200
    schema: success
    description: The summary
- name: transferResources
'
# `orgPatch` gains an optional property (a field and a setter of `OrgPatch`).
optional_field='  iconColor:
'
added_field='  theme:
    type: string
  iconColor:
'

copy old
copy compatible
edit compatible resources/org.yaml "$new_action" "$added_action"
edit compatible schemas/orgPatch.yaml "$optional_field" "$added_field"
edit compatible resources/org.yaml "  - org.get
" "  - org.get
  - org.read
"
edit compatible resources/org.yaml "summary: Retrieves information on an organization" "summary: Retrieves an organization"

copy breaking
edit breaking resources/org.yaml "$new_action" "$added_action"
edit breaking schemas/orgPatch.yaml "$optional_field" "$added_field"
# A property made required: `OrgMemberPatch::new` gains an argument.
edit breaking schemas/orgMemberPatch.yaml "required:
- userId
" "required:
- userId
- role
"
# A property removed: `OrgPatch.icon_color` and its setter are gone.
edit breaking schemas/orgPatch.yaml "  iconColor:
    type: string
    maxLength: 64
" ""

# Twins: `org` gains an optional property; its twin `orgs.items[]` does not.
copy twin
edit twin schemas/org.yaml "  iconColor:
    type: string
    maxLength: 64
" "  iconColor:
    type: string
    maxLength: 64
  timezone:
    type: string
    maxLength: 64
"

# A float: `orgPatch` gains an optional number.
copy float
edit float schemas/orgPatch.yaml "$optional_field" "  storageQuota:
    type: number
$optional_field"

copy retyped
response='  - status: 200
    schema: org
    description: Organization information
'
# `org.get` gains a success status with another body: `send()` returns `GetResponse`.
edit retyped resources/org.yaml "$response" "$response  - status: 202
    schema: success
    description: Accepted, to be done later
"
# `iconColor` may be null: `OrgPatch.icon_color` is a `Nullable<String>`, not an `Option<String>`.
edit retyped schemas/orgPatch.yaml "  iconColor:
    type: string
" "  iconColor:
    type: [string, 'null']
"

# semver PACKAGE [ARGS]: cargo semver-checks of PACKAGE against the old copy, with the pair's features only.
semver() {
  local package=$1
  shift
  CARGO_TARGET_DIR="$target" cargo semver-checks check-release \
    --manifest-path "$scratch/$package/Cargo.toml" --baseline-root "$scratch/old" -p losant-rest \
    --only-explicit-features --features "$features" --color never "$@" >"$scratch/semver.log" 2>&1
}

# JSON field of the diff report.
field() {
  python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$scratch/diff.json" "$1"
}

failed=0
disagree() {
  echo "DISAGREE ($1): $2" >&2
  sed 's/^/    /' "$scratch/semver.log" >&2
  failed=1
}

# The failed lints of the last semver-checks run, one `lint: item` a line.
failures() {
  python3 - "$scratch/semver.log" <<'PY'
import re, sys
lint = None
block = False
for line in open(sys.argv[1]):
    if m := re.match(r"--- failure (\S+):", line):
        lint, block = m[1], False
    elif line.startswith("Failed in:"):
        block = True
    elif block and line.startswith("  ") and line.strip():
        item = re.sub(r",? (previously )?in (file )?/\S+", "", line.strip())
        print(f"  semver-checks: {lint}: {item}")
    elif not line.strip():
        block = False
PY
}

# package:exit code:bump:features (comma-separated).
for pair in compatible:1:patch:org breaking:2:minor:org twin:1:patch:org,orgs float:1:patch:org retyped:2:minor:org; do
  IFS=: read -r package code bump features <<<"$pair"
  pair_started=$SECONDS
  echo
  echo "== $package changes"
  rc=0
  "$codegen" diff "$scratch/old/spec" "$scratch/$package/spec" --json --crate-version 0.1.0 >"$scratch/diff.json" || rc=$?
  python3 - "$scratch/diff.json" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
for c in report["changes"]:
    spec = f" ({c.get('cause', 'spec')}: {c['spec']})" if c.get("spec") else ""
    print(f"  {c['impact']:<10}  {c['item']}: {c['what']}{spec}")
print(f"  codegen diff: {report['worst']}, {report['version']} -> {report['next_version']} ({report['reason']})")
PY
  next=$(field next_version)
  if [ "$rc" = 3 ]; then
    echo "error: codegen diff says the generator caused changes of the $package edits (exit 3, lines marked generator): a codegen bug" >&2
    exit 1
  fi
  if [ "$rc" != "$code" ] || [ "$(field bump)" != "$bump" ]; then
    echo "error: codegen diff says exit $rc, bump $(field bump) for the $package edits; expected exit $code, bump $bump" >&2
    exit 1
  fi

  # 2. The bump the diff asks for satisfies semver-checks.
  python3 - "$scratch/$package/Cargo.toml" "$next" <<'PY'
import re, sys
path, version = sys.argv[1:]
text = open(path).read()
text, n = re.subn(r'(?m)^(\[package\]\n(?:[^\[\n].*\n)*?)version = "[^"]*"', rf'\g<1>version = "{version}"', text, count=1)
if n != 1:
    sys.exit(f"error: no [package] version in {path}")
open(path, "w").write(text)
PY
  if semver "$package"; then
    echo "  semver-checks: 0.1.0 -> $next passes"
  else
    disagree "$package" "semver-checks rejects 0.1.0 -> $next, the version codegen diff asks for"
  fi

  # 3. Breaking for one exactly when breaking for the other.
  if semver "$package" --release-type minor; then
    semver_breaking=no
  else
    semver_breaking=yes
    failures
  fi
  ours_breaking=$([ "$code" = 2 ] && echo yes || echo no)
  if [ "$package" = retyped ]; then
    if [ "$semver_breaking" = no ]; then
      echo "  expected difference: codegen diff says breaking (callers' code stops compiling), semver-checks compares no types"
    else
      disagree "$package" "semver-checks now sees type changes: make 'retyped' a plain breaking pair"
    fi
  elif [ "$semver_breaking" = "$ours_breaking" ]; then
    echo "  agree: breaking = $ours_breaking"
  else
    disagree "$package" "codegen diff says breaking = $ours_breaking, semver-checks says breaking = $semver_breaking"
  fi
  echo "  ($((SECONDS - pair_started)) s)"
done

echo
echo "check-semver: $((SECONDS - started)) s"
if [ "$failed" != 0 ]; then
  echo "error: codegen diff and cargo-semver-checks disagree (above)" >&2
  exit 1
fi
echo "codegen diff and cargo-semver-checks agree"
