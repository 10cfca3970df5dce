// A CDK app in Go that uses the platform as a Go team would: the module
// jsii-pacmak generates, imported by its published path.
package main

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdk-dr-platform/cdk-dr-platform-go/cdkdrplatform"
)

// NewPaymentsStack adds the platform, with one function, to a stack.
func NewPaymentsStack(scope constructs.Construct, suffix string, codeDir string) (awscdk.Stack, cdkdrplatform.SingleRegionDrPlatform) {
	stack := awscdk.NewStack(scope, jsii.String("Payments"), &awscdk.StackProps{
		Env: &awscdk.Environment{Account: jsii.String("123456789012"), Region: jsii.String("eu-west-1")},
	})
	platform := cdkdrplatform.NewSingleRegionDrPlatform(stack, jsii.String("Platform"), &cdkdrplatform.SingleRegionDrPlatformProps{
		EnvironmentSuffix: jsii.String(suffix),
		AlarmEmails:       jsii.Strings("oncall@example.com"),
	})
	platform.AddFunction(jsii.String("Processor"), &cdkdrplatform.PlatformFunctionOptions{
		Code:         awslambda.Code_FromAsset(jsii.String(codeDir), nil),
		Handler:      jsii.String("index.handler"),
		Runtime:      cdkdrplatform.HandlerRuntime_NewestNodejs(stack),
		BucketAccess: cdkdrplatform.DataAccess_WRITE,
	})
	return stack, platform
}

func main() {
	defer jsii.Close()
	app := awscdk.NewApp(nil)
	NewPaymentsStack(app, "prod", "processor")
	app.Synth(nil)
}
