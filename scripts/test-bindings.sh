#!/usr/bin/env bash
# Builds the jsii bindings the way their users get them and uses each one from
# an app in its own language:
# - Python: jsii-pacmak builds the wheel and sdist (and checks them with
#   twine); the wheel goes into a fresh virtual environment with pip, which
#   takes aws-cdk-lib and constructs from PyPI at the newest versions within
#   the ranges the wheel declares (what a Python user gets), and the Python
#   app of docs/other-languages.md runs under pytest there.
# - Go: jsii-pacmak builds the module (go mod tidy, go build); a Go app in
#   test/bindings/go uses it through a `replace` directive, under `go test`.
# - Java and .NET: code only, checked below. Java: Maven cannot resolve the
#   pom's aws-cdk-lib range [2.269.0,3.0.0) from Maven Central as this
#   project's machines reach it: its maven-metadata.xml for aws-cdk-lib lists
#   versions only up to 2.263.0 (lastUpdated 2026-10-19), although the 2.269.0
#   to 2.272.0 artifacts are there, so `jsii-pacmak --targets java` stops at
#   "No versions available for software.amazon.awscdk:aws-cdk-lib:jar:
#   [2.269.0,3.0.0) within specified range" (see docs/other-languages.md).
#   .NET: there is no .NET SDK on these machines.
# Needs the jsii assembly (`npx projen compile`), node_modules (the cdk CLI),
# python3 with venv, and go. Downloads are cached where pip and go keep them
# (~/.cache/pip, GOMODCACHE, GOCACHE).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
out=.bindings
rm -rf "$out/dist" "$out/code" "$out/venv" "$out/apps" "$out/pytest" "$out/cache"
export PYTHONDONTWRITEBYTECODE=1 PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1
started=$SECONDS
step() { echo "bindings: $* ($((SECONDS - started)) s)"; }

# The ranges the library declares (its peer dependencies) and the versions it
# is developed against.
cdk_range=$(node -p "require('./package.json').peerDependencies['aws-cdk-lib']")
cdk_floor=${cdk_range#^}
cdk_version=$(node -p "require('./package.json').devDependencies['aws-cdk-lib']")
nag_version=$(node -p "require('./package.json').devDependencies['cdk-nag'].replace(/^\\^/, '')")
for v in "$cdk_floor" "$cdk_version" "$nag_version"; do
  [[ $v =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || { echo "bindings: expected a version in package.json, got: $v"; exit 1; }
done
[[ $cdk_range == "^$cdk_floor" ]] || { echo "bindings: expected a caret range for aws-cdk-lib, got: $cdk_range"; exit 1; }

step "building the Python and Go packages with jsii-pacmak"
npx jsii-pacmak --targets python,go --outdir "$out/dist"
npx jsii-pacmak --code-only --targets java,dotnet --outdir "$out/code"

fail=0
expect_file() { # file, then strings it must contain
  local file=$1; shift
  if [ ! -f "$file" ]; then echo "bindings: missing $file"; fail=1; return; fi
  for s in "$@"; do
    grep -q -- "$s" "$file" || { echo "bindings: $file lacks $s"; fail=1; }
  done
}
shopt -s nullglob
wheels=("$out"/dist/python/cdk_dr_platform-*.whl)
sdists=("$out"/dist/python/cdk_dr_platform-*.tar.gz)
[ ${#wheels[@]} -eq 1 ] && [ ${#sdists[@]} -eq 1 ] || { echo "bindings: expected one wheel and one sdist in $out/dist/python"; exit 1; }
for c in EncryptedAurora PitrTable VersionedBucket HourlyBackup DrAlarms VpcLambda SingleRegionDrPlatform; do
  expect_file "$out/code/java/src/main/java/io/github/cdkdrplatform/$c.java" "public class $c "
  expect_file "$out/code/dotnet/CdkDrPlatform/CdkDrPlatform/$c.cs" "public class $c "
  expect_file "$out/dist/go/cdkdrplatform/$c.go" "func New$c("
done
# Python and Java depend on aws-cdk-lib from the floor of the declared range
# up; the Go module names one version, that of the aws-cdk-lib jsii-pacmak
# builds against (node_modules).
expect_file "$out/code/java/pom.xml" "<version>\[$cdk_floor,3.0.0)</version>"
expect_file "$out/dist/go/cdkdrplatform/go.mod" "module github.com/cdk-dr-platform/cdk-dr-platform-go/cdkdrplatform" \
  "github.com/aws/aws-cdk-go/awscdk/v2 v$cdk_version"
wheel_metadata() { python3 -c 'import sys, zipfile
wheel = zipfile.ZipFile(sys.argv[1])
print(wheel.read(next(n for n in wheel.namelist() if n.endswith(".dist-info/METADATA"))).decode())' "$1"; }
# Read whole before grep: `grep -q` stops at the first match, and the writer
# would then die of a broken pipe, which pipefail counts as a failure.
metadata=$(wheel_metadata "${wheels[0]}")
grep -q "^Requires-Dist: aws-cdk-lib \?<3.0.0,>=$cdk_floor$" <<<"$metadata" \
  || { echo "bindings: the wheel does not require aws-cdk-lib >=$cdk_floor, <3.0.0"; fail=1; }
# The docstring examples reach each language translated (jsii-rosetta's
# tablet, .jsii.tabl.json, written by post-compile from the compiled
# examples): Python and Go users read their own language, not TypeScript.
wheel_file() { python3 -c 'import sys, zipfile
wheel = zipfile.ZipFile(sys.argv[1])
print(wheel.read(next(n for n in wheel.namelist() if n.endswith("cdk_dr_platform/__init__.py"))).decode())' "$1"; }
python_code=$(wheel_file "${wheels[0]}")
for s in 'monitor = RecoveryPointMonitor(self, "RecoveryPoints",' 'resources=[ProtectedResource.from_pitr_table(table)]'; do
  grep -qF -- "$s" <<<"$python_code" || { echo "bindings: the wheel's docstrings lack the translated example: $s"; fail=1; }
done
grep -qF -- "new RecoveryPointMonitor(this, 'RecoveryPoints'" <<<"$python_code" \
  && { echo "bindings: the wheel's docstrings still carry TypeScript examples"; fail=1; }
expect_file "$out/dist/go/cdkdrplatform/RecoveryPointMonitor.go" 'monitor := cdkdrplatform.NewRecoveryPointMonitor(this, jsii.String("RecoveryPoints"), &RecoveryPointMonitorProps{'
[ "$fail" -eq 0 ] || exit 1

step "Python: a fresh virtual environment with the wheel and its dependencies from PyPI"
python3 -m venv "$out/venv"
py="$root/$out/venv/bin/python"
# pip resolves aws-cdk-lib and constructs from the wheel's own requirements,
# as `pip install cdk-dr-platform` would for a Python team.
"$py" -m pip install --quiet "${wheels[0]}" "cdk-nag==$nag_version" pytest
python_cdk=$("$py" -m pip show aws-cdk-lib | sed -n 's/^Version: //p')
step "Python: aws-cdk-lib $python_cdk from PyPI; the app of docs/other-languages.md under pytest"
(cd test/bindings/python && "$py" -m pytest -p no:cacheprovider --basetemp "$root/$out/pytest" -v test_app.py)
rm -rf "$out/pytest"

step "Go: the app against the built module"
mkdir -p "$out/apps"
cp -r test/bindings/go "$out/apps/go"
(
  cd "$out/apps/go"
  go mod edit \
    -replace "github.com/cdk-dr-platform/cdk-dr-platform-go/cdkdrplatform=$root/$out/dist/go/cdkdrplatform" \
    -require "github.com/aws/aws-cdk-go/awscdk/v2@v$cdk_version"
  go mod tidy
  grep -q "github.com/aws/aws-cdk-go/awscdk/v2 v$cdk_version$" go.mod || { echo "bindings: go mod tidy moved aws-cdk-go off $cdk_version"; exit 1; }
  go vet ./...
  go test -v -count=1 ./...
)
step "done: Python and Go built and tested, Java and .NET code generated"
