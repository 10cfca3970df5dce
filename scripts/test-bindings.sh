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
# - Java: jsii-pacmak builds the jar (mvn deploy, javadoc and sources
#   included); a Java app in test/bindings/java depends on it by its Maven
#   coordinates and runs its JUnit tests under `mvn test`. The app pins
#   aws-cdk-lib through <dependencyManagement>, as docs/other-languages.md tells
#   Java users to: Maven resolves the pom's range [2.269.0,3.0.0) from the
#   registry's maven-metadata.xml, and the one Maven Central serves here lists
#   aws-cdk-lib only up to 2.263.0 (lastUpdated 2026-10-19), although the
#   2.271.0 and 2.272.0 jars are there (2.269.0 and 2.270.0 have poms only,
#   2.273.0 to 2.277.0 no jars), so
#   the range alone stops at "No versions available for
#   software.amazon.awscdk:aws-cdk-lib:jar:[2.269.0,3.0.0) within specified
#   range". jsii-pacmak's own build resolves that range too (it rewrites every
#   range in the pom to the newest version it finds before building), so the
#   pinned aws-cdk-lib is installed into the build's local repository first,
#   which lists it in that repository's metadata. Everything Maven fetches
#   goes to a throwaway local repository, removed at the end; ~/.m2 is not
#   touched.
# - .NET: code only; there is no .NET SDK on these machines.
# Needs the jsii assembly (`npx projen compile`), node_modules (the cdk CLI),
# python3 with venv, go, and Java 17 with Maven. Downloads are cached where pip
# and go keep them (~/.cache/pip, GOMODCACHE, GOCACHE); Maven's are not kept
# (about 200 MB a run, most of it the aws-cdk-lib jar).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/maven-local-repo.sh
source scripts/maven-local-repo.sh
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
# The aws-cdk-lib the Java app pins (see its pom), which docs/other-languages.md shows.
java_cdk=$(sed -n 's:^ *<cdk.version>\([0-9.]*\)</cdk.version>$:\1:p' test/bindings/java/pom.xml)
[[ $java_cdk =~ ^2\.([0-9]+)\.[0-9]+$ ]] || { echo "bindings: expected <cdk.version> in test/bindings/java/pom.xml, got: $java_cdk"; exit 1; }
floor_minor=${cdk_floor#2.}; floor_minor=${floor_minor%%.*}
(( BASH_REMATCH[1] >= floor_minor )) || { echo "bindings: the Java app pins aws-cdk-lib $java_cdk, below the library's floor $cdk_floor"; exit 1; }
grep -q "<version>$java_cdk</version>" docs/other-languages.md \
  || { echo "bindings: docs/other-languages.md does not show the pin test/bindings/java/pom.xml tests, aws-cdk-lib $java_cdk"; exit 1; }

step "building the Python and Go packages with jsii-pacmak"
npx jsii-pacmak --targets python,go --outdir "$out/dist"
# The Java code with its pom as the library declares it (jsii-pacmak's build
# below rewrites the pom's ranges).
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

step "Java: aws-cdk-lib $java_cdk, pinned by test/bindings/java/pom.xml, in a throwaway local repository"
java_tmp=$(mktemp -d)
trap 'rm -rf "$java_tmp"' EXIT
m2="$java_tmp/repository"
mvn_args=(-B -ntp "-Dmaven.repo.local=$m2")
export MAVEN_OPTS="${MAVEN_OPTS:-} -XX:+TieredCompilation -XX:TieredStopAtLevel=1"
seed_aws_cdk_lib "$m2" "$java_cdk"

step "Java: building the jar with jsii-pacmak"
npx jsii-pacmak --targets java --outdir "$out/dist" --maven-local-repository "$m2"
java_dir="$out/dist/java/io/github/cdk-dr-platform/cdk-dr-platform"
java_jars=()
for jar in "$java_dir"/*/cdk-dr-platform-*.jar; do
  case $jar in *-sources.jar|*-javadoc.jar) ;; *) java_jars+=("$jar") ;; esac
done
[ ${#java_jars[@]} -eq 1 ] || { echo "bindings: expected one jar in $java_dir, found ${#java_jars[@]}"; exit 1; }
java_version=$(basename "$(dirname "${java_jars[0]}")")
built_pom="$java_dir/$java_version/cdk-dr-platform-$java_version.pom"
# jsii-pacmak's build rewrote each range in the pom to the newest version it
# could resolve: aws-cdk-lib at the seeded version shows it built against the
# pin. The app is given the pom as the library declares it, ranges and all
# (the two may differ in versions only): that is the case the pin is for, and
# a release built elsewhere names whatever version its machine saw newest,
# which the pin overrides as well.
expect_file "$built_pom" "<version>$java_cdk</version>"
pom_shape() { sed -e '/Generated by jsii-pacmak/d' -e 's:<version>[^<]*</version>:<version/>:' "$1"; }
diff <(pom_shape "$out/code/java/pom.xml") <(pom_shape "$built_pom") \
  || { echo "bindings: the built pom differs from the generated one in more than versions"; exit 1; }
[ "$fail" -eq 0 ] || exit 1
# Without its metadata entry the seeded aws-cdk-lib is a plain cached jar, as
# on a user's machine: the app resolves the range from Maven Central's
# metadata, and only its pin makes that work.
rm "$m2/software/amazon/awscdk/aws-cdk-lib/maven-metadata-local.xml"
mvn "${mvn_args[@]}" -q install:install-file "-Dfile=${java_jars[0]}" "-DpomFile=$out/code/java/pom.xml"

step "Java: the app under JUnit"
cp -r test/bindings/java "$out/apps/java"
# The tests' JVM keeps its temporary files (JUnit's @TempDir, the jsii
# runtime's, which it leaves behind) in the throwaway folder.
mkdir "$java_tmp/tmp"
(cd "$out/apps/java" && mvn "${mvn_args[@]}" "-Dcdk-dr-platform.version=$java_version" "-DargLine=-Djava.io.tmpdir=$java_tmp/tmp" test)
rm -rf "$out/apps/java"
step "done: Python, Go and Java built and tested, .NET code generated"
