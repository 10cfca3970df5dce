#!/usr/bin/env bash
# A release, without publishing: what `npx projen release` would build for
# npm, PyPI, Maven Central and the Go module proxy, built from the committed
# HEAD in a throwaway clone and checked the way each registry's tooling
# would check it:
# - version: projen's bump (commit-and-tag-version) gives a semantic version
#   and a tag, and every artifact carries that version; the version is the
#   one the Conventional Commit types since the last release tag call for,
#   and dist/changelog.md lists the feat, fix and breaking commits
#   (scripts/check-release-notes.ts). Before the first tag projen releases
#   0.0.0 whatever the commits say, so the bump rules are also checked on a
#   rehearsal: the commit before the convention's baseline tagged v0.0.0 in
#   the clone, bumped, then untagged;
# - npm: the tarball's file list (the jsii assembly, the compiled library,
#   every pre-bundled handler, the cdk-dr bin, the docs a user reads; no
#   sources, tests, fixtures or scripts) and a package.json without runtime
#   dependencies;
# - PyPI: the wheel and the sdist pass `twine check`, and carry the version;
# - Maven: the jar, its sources and javadoc jars and its pom, at the version;
# - Go: the module's path and version file, and `go build`.
# NuGet: jsii-pacmak generates the .NET code (checked by test:bindings), but
# there is no .NET SDK on these machines to pack it.
# Nothing is published, tagged or left behind: the clone (a `git clone
# --shared`, so the rehearsal's tag stays in it) and everything built in it
# are removed at the end. Needs node_modules (npm ci), python3
# with venv, go, Java 17 with Maven.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
# shellcheck source=scripts/maven-local-repo.sh
source scripts/maven-local-repo.sh
started=$SECONDS
step() { echo "release dry run: $* ($((SECONDS - started)) s)"; }
fail() { echo "release dry run: $*"; exit 1; }

work=$(mktemp -d)
tree="$work/tree"
cleanup() {
  rm -rf "$work"
}
trap cleanup EXIT
head=$(git rev-parse HEAD)
git clone --quiet --shared --no-checkout "$root" "$tree"
git -C "$tree" checkout --quiet --detach "$head"
ln -s "$root/node_modules" "$tree/node_modules"
cd "$tree"
check_notes() { npx ts-node --project tsconfig.dev.json scripts/check-release-notes.ts || fail "$1"; }

baseline=$(git log --topo-order --format=%H --grep='^Commit-Convention-Baseline: yes$' HEAD | tail -1)
if [ -z "$baseline" ] && [ "$(git rev-parse --is-shallow-repository)" = true ]; then
  step "bump rehearsal skipped: this clone is shallow and does not reach the convention's baseline (fetch the full history to run it)"
elif [ -z "$(git tag --list 'v*')" ]; then
  step "bump rehearsal: the release after a v0.0.0 cut just before the convention's baseline"
  [ -n "$baseline" ] || fail "no commit carries the convention's baseline trailer (scripts/commit-convention.ts)"
  git tag v0.0.0 "$baseline^"
  npx projen bump >"$work/bump-rehearsal.log" 2>&1 || { cat "$work/bump-rehearsal.log"; fail "projen bump (rehearsal) failed"; }
  check_notes "the rehearsal's version or changelog is not what the commits since the baseline call for"
  git tag --delete v0.0.0 >/dev/null
  git checkout --quiet -- package.json
  rm -rf dist
fi

step "bump: the version and tag projen's release would give HEAD"
npx projen bump >"$work/bump.log" 2>&1 || { cat "$work/bump.log"; fail "projen bump failed"; }
version=$(cat dist/version.txt)
tag=$(cat dist/releasetag.txt)
[[ $version =~ ^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$ ]] || fail "dist/version.txt is not a semantic version: $version"
[ "$tag" = "v$version" ] || fail "the release tag $tag is not v$version"
[ "$(node -p "require('./package.json').version")" = "$version" ] || fail "package.json does not carry $version"
[ -f dist/changelog.md ] || fail "bump wrote no dist/changelog.md"
check_notes "the version or the changelog is not what the commits call for"

step "build $version: handler bundles, the jsii assembly, the translated examples"
npx projen bundle >"$work/bundle.log" 2>&1 || { cat "$work/bundle.log"; fail "bundle failed"; }
npx projen compile >"$work/compile.log" 2>&1 || { cat "$work/compile.log"; fail "compile failed"; }
npx projen rosetta:extract >"$work/rosetta.log" 2>&1 || { cat "$work/rosetta.log"; fail "the docstring examples do not compile"; }
[ "$(node -p "JSON.parse(require('fs').readFileSync('.jsii', 'utf8')).version")" = "$version" ] || fail "the jsii assembly does not carry $version"

step "package: npm, PyPI and Go with jsii-pacmak"
out="$work/dist"
npx jsii-pacmak --targets js,python,go --outdir "$out" >"$work/pacmak.log" 2>&1 || { cat "$work/pacmak.log"; fail "jsii-pacmak failed"; }

step "npm: the tarball's contents"
tarball="$out/js/cdk-dr-platform@$version.jsii.tgz"
[ -f "$tarball" ] || fail "no $tarball"
tar -tzf "$tarball" | sed 's:^package/::' | sort >"$work/npm-files.txt"
required=(package.json .jsii README.md LICENSE API.md lib/index.js lib/index.d.ts assets/cli/cdk-dr/index.js)
while IFS= read -r bundle; do required+=("$bundle"); done < <(find assets -name index.js | sort)
for f in "${required[@]}"; do
  grep -qxF -- "$f" "$work/npm-files.txt" || fail "the npm tarball lacks $f"
done
forbidden=$(grep -E '^(src|test|rosetta|scripts|docs|examples|\.projen|\.github|\.ci)/|^\.jsii\.tabl\.json$|^tsconfig\.dev\.json$|^\.projenrc\.ts$|\.test\.(ts|js)$' "$work/npm-files.txt" || true)
[ -z "$forbidden" ] || fail "the npm tarball carries files users do not need: $(echo "$forbidden" | head -5 | tr '\n' ' ')"
tar -xzf "$tarball" -C "$work" package/package.json
node -e '
const p = require(process.argv[1]);
const problems = [];
if (p.version !== process.argv[2]) problems.push(`version ${p.version}`);
if (Object.keys(p.dependencies ?? {}).length) problems.push(`runtime dependencies ${Object.keys(p.dependencies)}`);
if (p.bin?.["cdk-dr"] !== "assets/cli/cdk-dr/index.js") problems.push(`bin ${JSON.stringify(p.bin)}`);
if (!p.peerDependencies?.["aws-cdk-lib"] || !p.peerDependencies?.constructs) problems.push("peer dependencies");
if (problems.length) { console.error(problems.join("; ")); process.exit(1); }
' "$work/package/package.json" "$version" || fail "the npm package.json is not what users should get"
echo "release dry run: npm: $(wc -l <"$work/npm-files.txt") files, $(du -k "$tarball" | cut -f1) KiB packed"

step "PyPI: twine check of the wheel and the sdist"
shopt -s nullglob
wheels=("$out"/python/cdk_dr_platform-"$version"-*.whl)
sdists=("$out"/python/cdk_dr_platform-"$version".tar.gz)
[ ${#wheels[@]} -eq 1 ] && [ ${#sdists[@]} -eq 1 ] || fail "expected one wheel and one sdist at $version in $out/python: $(ls "$out/python")"
python3 -m venv "$work/venv"
PIP_DISABLE_PIP_VERSION_CHECK=1 "$work/venv/bin/python" -m pip install --quiet twine
"$work/venv/bin/python" -m twine check --strict "${wheels[0]}" "${sdists[0]}"
python3 -c 'import sys, zipfile
wheel = zipfile.ZipFile(sys.argv[1])
code = wheel.read(next(n for n in wheel.namelist() if n.endswith("cdk_dr_platform/__init__.py"))).decode()
sys.exit(0 if "ProtectedResource.from_pitr_table(table)" in code else 1)' "${wheels[0]}" || fail "the wheel's docstrings carry no translated examples"

step "Go: the module's path, version and build"
gomod="$out/go/cdkdrplatform"
grep -qx 'module github.com/cdk-dr-platform/cdk-dr-platform-go/cdkdrplatform' "$gomod/go.mod" || fail "unexpected Go module path in $gomod/go.mod"
[ "$(cat "$gomod/version")" = "$version" ] || fail "the Go module's version file says $(cat "$gomod/version"), not $version"
# pacmak publishes the module without go.sum (the proxy serves it that way); a user's go mod tidy writes one.
(cd "$gomod" && go mod tidy && go build ./...)

step "Maven: the jar, sources, javadoc and pom at $version"
java_cdk=$(sed -n 's:^ *<cdk.version>\([0-9.]*\)</cdk.version>$:\1:p' test/bindings/java/pom.xml)
m2="$work/m2"
export MAVEN_OPTS="${MAVEN_OPTS:-} -XX:+TieredCompilation -XX:TieredStopAtLevel=1"
seed_aws_cdk_lib "$m2" "$java_cdk"
npx jsii-pacmak --targets java --outdir "$out" --maven-local-repository "$m2" >"$work/java.log" 2>&1 || { tail -40 "$work/java.log"; fail "the Java build failed"; }
java_dir="$out/java/io/github/cdk-dr-platform/cdk-dr-platform/$version"
for f in "cdk-dr-platform-$version.jar" "cdk-dr-platform-$version-sources.jar" "cdk-dr-platform-$version-javadoc.jar" "cdk-dr-platform-$version.pom"; do
  [ -s "$java_dir/$f" ] || fail "no $java_dir/$f"
done
grep -q "<version>$version</version>" "$java_dir/cdk-dr-platform-$version.pom" || fail "the pom does not carry $version"
# The jar carries the jsii assembly the Java runtime loads.
# Listed whole before grep: `grep -q` stops at the first match, and unzip would
# then die of a broken pipe, which pipefail counts as a failure.
jar_files=$(unzip -l "$java_dir/cdk-dr-platform-$version.jar")
grep -q "cdk-dr-platform@$version.jsii.tgz" <<<"$jar_files" || fail "the jar lacks the jsii assembly tarball"

step "done: $tag would publish npm, PyPI, Maven and Go artifacts (NuGet: code only, no .NET SDK here); nothing was published"
