#!/usr/bin/env bash
# Builds the jsii bindings the way their users get them and uses each one from
# an app in its own language:
# - Python: jsii-pacmak builds the wheel and sdist (and checks them with
#   twine); the README's Python app runs under pytest in a fresh virtual
#   environment with that wheel, aws-cdk-lib, constructs and cdk-nag.
# - Go: jsii-pacmak builds the module (go mod tidy, go build); a Go app in
#   test/bindings/go uses it through a `replace` directive, under `go test`.
# - Java and .NET: code only, checked below. Java: Maven Central, as this
#   project's machines reach it, has no aws-cdk-lib at the version the library
#   declares, so the jar cannot be built (see the README, "Other languages").
#   .NET: there is no .NET SDK on these machines.
# Needs the jsii assembly (`npx projen compile`), node_modules (the cdk CLI),
# python3 with venv, and go. Downloads are cached where pip and go keep them
# (~/.cache/pip, GOMODCACHE, GOCACHE), so pacmak's builds and the apps share
# them; an aws-cdk-lib wheel built from npm is kept in .bindings/cache.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
out=.bindings
rm -rf "$out/dist" "$out/code" "$out/venv" "$out/apps"
mkdir -p "$out/cache"
export PYTHONDONTWRITEBYTECODE=1 PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1
started=$SECONDS
step() { echo "bindings: $* ($((SECONDS - started)) s)"; }

# The versions the library declares: the consumer apps use exactly these.
cdk_version=$(node -p "require('./package.json').devDependencies['aws-cdk-lib']")
constructs_version=$(node -p "require('./package.json').devDependencies.constructs")
nag_version=$(node -p "require('./package.json').devDependencies['cdk-nag'].replace(/^\\^/, '')")
for v in "$cdk_version" "$constructs_version" "$nag_version"; do
  [[ $v =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || { echo "bindings: expected an exact version in package.json, got: $v"; exit 1; }
done

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
expect_file "$out/dist/go/cdkdrplatform/go.mod" "module github.com/cdk-dr-platform/cdk-dr-platform-go/cdkdrplatform" \
  "github.com/aws/aws-cdk-go/awscdk/v2 v$cdk_version"
[ "$fail" -eq 0 ] || exit 1

step "Python: a fresh virtual environment with the wheel"
python3 -m venv "$out/venv"
py="$root/$out/venv/bin/python"
# aws-cdk-lib's Python package at the declared version, from PyPI; when the
# index has not got it, built from the npm release with the same jsii-pacmak
# that AWS publishes it with, and kept in the cache for the next run.
find_links=()
if ! "$py" -m pip download --quiet --no-deps --dest "$out/cache/probe" "aws-cdk-lib==$cdk_version" 2>"$out/cache/probe.log"; then
  grep -m 1 'No matching distribution' "$out/cache/probe.log" || tail -n 1 "$out/cache/probe.log"
  cdk_wheels=("$out"/cache/aws-cdk-lib-"$cdk_version"/python/aws_cdk_lib-"$cdk_version"-*.whl)
  if [ ${#cdk_wheels[@]} -eq 0 ]; then
    step "Python: PyPI has no aws-cdk-lib $cdk_version; building it from node_modules/aws-cdk-lib"
    installed=$(node -p "require('aws-cdk-lib/package.json').version")
    [ "$installed" = "$cdk_version" ] || { echo "bindings: node_modules has aws-cdk-lib $installed, not $cdk_version"; exit 1; }
    rm -rf "$out/cache/aws-cdk-lib-$cdk_version"
    npx jsii-pacmak --targets python --outdir "$out/cache/aws-cdk-lib-$cdk_version" node_modules/aws-cdk-lib
  fi
  find_links=(--find-links "$out/cache/aws-cdk-lib-$cdk_version/python")
fi
rm -rf "$out/cache/probe"
"$py" -m pip install --quiet "${find_links[@]}" "${wheels[0]}" \
  "aws-cdk-lib==$cdk_version" "constructs==$constructs_version" "cdk-nag==$nag_version" pytest
step "Python: the README's app under pytest"
(cd test/bindings/python && "$py" -m pytest -p no:cacheprovider --basetemp "$root/$out/pytest" -v test_app.py)

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
