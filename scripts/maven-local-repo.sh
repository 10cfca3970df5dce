# Sourced by scripts/test-bindings.sh and scripts/release-dry-run.sh.
#
# seed_aws_cdk_lib REPOSITORY VERSION: puts software.amazon.awscdk:aws-cdk-lib
# VERSION (jar and pom) into the local Maven repository REPOSITORY, so that
# jsii-pacmak's Java build (`versions:resolve-ranges`, then `mvn deploy`) can
# resolve the pom's range [floor,3.0.0). The registry these machines reach
# lists no aws-cdk-lib above 2.263.0 in its maven-metadata.xml, although it
# serves some newer jars (docs/other-languages.md). The artifact is fetched
# into a side repository, then installed: install-file refuses to install
# onto an artifact's own copy, and it is the install that lists the version
# in maven-metadata-local.xml, where Maven's range resolution sees it.
seed_aws_cdk_lib() {
  local repository=$1 version=$2
  local side
  side=$(mktemp -d)
  mvn -B -ntp -q "-Dmaven.repo.local=$side" dependency:get -Dtransitive=false "-Dartifact=software.amazon.awscdk:aws-cdk-lib:$version"
  mvn -B -ntp -q "-Dmaven.repo.local=$side" dependency:get -Dtransitive=false "-Dartifact=software.amazon.awscdk:aws-cdk-lib:$version:pom"
  local seed="$side/software/amazon/awscdk/aws-cdk-lib/$version/aws-cdk-lib-$version"
  mvn -B -ntp -q "-Dmaven.repo.local=$repository" install:install-file "-Dfile=$seed.jar" "-DpomFile=$seed.pom"
  rm -rf "$side"
}
