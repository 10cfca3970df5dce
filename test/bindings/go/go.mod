// scripts/test-bindings.sh replaces the generated module with the one
// jsii-pacmak built, pins aws-cdk-go to the library's aws-cdk-lib version and
// runs `go mod tidy` on a copy of this folder, so no go.sum is kept here.
module example.com/drplatform

go 1.25

require github.com/cdk-dr-platform/cdk-dr-platform-go/cdkdrplatform v0.0.0
