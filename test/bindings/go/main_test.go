package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/cdk-dr-platform/cdk-dr-platform-go/cdkdrplatform"
	"github.com/aws/jsii-runtime-go"
)

func processorDir(t *testing.T) string {
	dir := filepath.Join(t.TempDir(), "processor")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "index.js"), []byte("exports.handler = async () => ({});\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestThePlatformSynthesizesWithItsStoresRetainedAndBackedUp(t *testing.T) {
	// The Availability Zones as docs/other-languages.md sets them for Go: without
	// them (and without credentials) the VPC would span placeholder zones.
	app := awscdk.NewApp(&awscdk.AppProps{Outdir: jsii.String(t.TempDir()), Context: &map[string]interface{}{
		"availability-zones:account=123456789012:region=eu-west-1": []string{"eu-west-1a", "eu-west-1b", "eu-west-1c"},
	}})
	stack, platform := NewPaymentsStack(app, "prod", processorDir(t))
	template := assertions.Template_FromStack(stack, nil)
	for _, zone := range []string{"eu-west-1a", "eu-west-1b", "eu-west-1c"} {
		template.HasResourceProperties(jsii.String("AWS::EC2::Subnet"), map[string]interface{}{"AvailabilityZone": zone})
	}

	for resourceType, count := range map[string]float64{
		"AWS::EC2::NatGateway":         0,
		"AWS::RDS::DBCluster":          1,
		"AWS::DynamoDB::Table":         1,
		"AWS::Backup::BackupPlan":      1,
		"AWS::Backup::BackupSelection": 1,
	} {
		template.ResourceCountIs(jsii.String(resourceType), jsii.Number(count))
	}
	template.HasResource(jsii.String("AWS::RDS::DBCluster"), map[string]interface{}{
		"DeletionPolicy": "Snapshot",
		"Properties":     map[string]interface{}{"DeletionProtection": true, "DBClusterIdentifier": "dr-aurora-prod"},
	})
	template.HasResource(jsii.String("AWS::DynamoDB::Table"), map[string]interface{}{
		"DeletionPolicy": "Retain",
		"Properties":     map[string]interface{}{"TableName": "dr-table-prod", "DeletionProtectionEnabled": true},
	})
	template.HasResource(jsii.String("AWS::S3::Bucket"), map[string]interface{}{
		"DeletionPolicy": "Retain",
		"Properties": assertions.Match_ObjectLike(&map[string]interface{}{
			"BucketName":              "dr-data-123456789012-eu-west-1-prod",
			"VersioningConfiguration": map[string]interface{}{"Status": "Enabled"},
		}),
	})
	// Every function, the library's and the one added from Go, on the newest Node.js runtime aws-cdk-lib declares.
	newest := *cdkdrplatform.HandlerRuntime_NewestNodejs(stack).Name()
	if newest < *awslambda.Runtime_NODEJS_24_X().Name() {
		t.Fatalf("HandlerRuntime_NewestNodejs gave %s, older than nodejs24.x", newest)
	}
	for id, fn := range *template.FindResources(jsii.String("AWS::Lambda::Function"), nil) {
		runtime := (*fn)["Properties"].(map[string]interface{})["Runtime"]
		if runtime != newest {
			t.Errorf("function %s runs on %v, want %s", id, runtime, newest)
		}
	}
	// The function added from Go is watched by the alarms and listed in the backup coverage.
	if got := len(*platform.Functions()); got != 1 {
		t.Fatalf("platform.Functions() has %d functions, want 1", got)
	}
	assembly := app.Synth(nil)
	if assembly.GetStackByName(jsii.String("Payments")) == nil {
		t.Fatal("the cloud assembly has no Payments stack")
	}
}

func TestAnInvalidEnvironmentSuffixPanicsWithAMessageNamingTheProp(t *testing.T) {
	for _, suffix := range []string{"Prod_1", "prod-", "pr--od", "1prod", ""} {
		t.Run(fmt.Sprintf("%q", suffix), func(t *testing.T) {
			defer func() {
				message := fmt.Sprint(recover())
				want := "`environmentSuffix` must"
				if !strings.Contains(message, want) || !strings.Contains(message, fmt.Sprintf("got: %q", suffix)) {
					t.Fatalf("want a panic naming environmentSuffix and %q, got: %s", suffix, message)
				}
			}()
			NewPaymentsStack(awscdk.NewApp(nil), suffix, processorDir(t))
		})
	}
}

func TestMain(m *testing.M) {
	code := m.Run()
	jsii.Close()
	os.Exit(code)
}
