#!/usr/bin/env bash
# Proves the jsii bindings generate for Python, Java, .NET and Go. Packaging
# them needs PyPI, Maven, NuGet and the Go proxy, which this machine cannot
# reach, so only their code is generated (--code-only) and checked here; the
# release workflow projen generates does the real packaging.
# Needs the jsii assembly: run `npx projen compile` first.
set -euo pipefail
cd "$(dirname "$0")/.."
out=.bindings
rm -rf "$out"
npx jsii-pacmak --code-only --targets python,java,dotnet,go --outdir "$out"

fail=0
expect_file() { # file, then strings it must contain
  local file=$1; shift
  if [ ! -f "$file" ]; then echo "bindings: missing $file"; fail=1; return; fi
  for s in "$@"; do
    grep -q -- "$s" "$file" || { echo "bindings: $file lacks $s"; fail=1; }
  done
}
for c in EncryptedAurora PitrTable VersionedBucket HourlyBackup DrAlarms VpcLambda SingleRegionDrPlatform; do
  expect_file "$out/python/src/cdk_dr_platform/__init__.py" "class $c(" "class ${c}Props"
  expect_file "$out/java/src/main/java/io/github/cdkdrplatform/$c.java" "public class $c "
  expect_file "$out/dotnet/CdkDrPlatform/CdkDrPlatform/$c.cs" "public class $c "
  expect_file "$out/go/cdkdrplatform/$c.go" "func New$c("
done
# The generated Python must at least be valid Python.
python3 -m py_compile "$out/python/src/cdk_dr_platform/__init__.py"
expect_file "$out/go/cdkdrplatform/go.mod" "module github.com/cdk-dr-platform/cdk-dr-platform-go/cdkdrplatform"
[ "$fail" -eq 0 ] || exit 1
echo "bindings: Python, Java, .NET and Go code generated for every construct"
