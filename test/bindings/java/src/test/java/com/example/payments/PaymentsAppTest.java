package com.example.payments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cdkdrplatform.AuroraClusterOptions;
import io.github.cdkdrplatform.HandlerRuntime;
import io.github.cdkdrplatform.MultiRegionDrPlatform;
import io.github.cdkdrplatform.MultiRegionFunctionOptions;
import io.github.cdkdrplatform.SingleRegionDrPlatform;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.kms.IKey;
import software.amazon.awscdk.services.lambda.Code;

/**
 * Synthesizes the platform from Java, without the CLI or credentials: the
 * Availability Zones that `cdk synth` would look up are set as context, the
 * keys and values docs/other-languages.md gives for every language.
 */
class PaymentsAppTest {
    private static final List<String> ZONES = List.of("eu-west-1a", "eu-west-1b", "eu-west-1c");

    @TempDir
    Path temp;

    private String processorDir() throws IOException {
        Path dir = Files.createDirectories(temp.resolve("processor"));
        Files.writeString(dir.resolve("index.js"), "exports.handler = async () => ({});\n");
        return dir.toString();
    }

    private App app(Map<String, Object> context) {
        return App.Builder.create().outdir(temp.resolve("cdk.out").toString()).context(context).build();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> resource(Template template, String logicalId) {
        Map<String, Object> resources = (Map<String, Object>) template.toJSON().get("Resources");
        return (Map<String, Object>) resources.get(logicalId);
    }

    /** The logical id of the key in this stack that `key` is, from its resolved ARN ({"Fn::GetAtt": [id, "Arn"]}). */
    @SuppressWarnings("unchecked")
    private static String keyLogicalId(Stack stack, IKey key) {
        Object arn = stack.resolve(key.getKeyArn());
        assertTrue(arn instanceof Map && ((Map<String, Object>) arn).containsKey("Fn::GetAtt"),
                "the key is not a key of stack " + stack.getStackName() + ": " + arn);
        return (String) ((List<Object>) ((Map<String, Object>) arn).get("Fn::GetAtt")).get(0);
    }

    private static void assertEncryptedWithItsOwnKey(Stack stack, IKey key) {
        Template template = Template.fromStack(stack);
        template.resourceCountIs("AWS::RDS::DBCluster", 1);
        template.hasResourceProperties("AWS::RDS::DBCluster", Map.of(
                "StorageEncrypted", true,
                "KmsKeyId", Map.of("Fn::GetAtt", List.of(keyLogicalId(stack, key), "Arn"))));
        Map<String, Object> keyResource = resource(template, keyLogicalId(stack, key));
        assertEquals("AWS::KMS::Key", keyResource.get("Type"));
        assertEquals(true, ((Map<?, ?>) keyResource.get("Properties")).get("EnableKeyRotation"));
    }

    private static void assertNoErrors(Stack stack) {
        Annotations.fromStack(stack).hasNoError("*", Match.anyValue());
    }

    @Test
    void theJarsOnTheClasspathAreTheBuiltLibraryAndThePinnedAwsCdkLib() throws IOException {
        String library = SingleRegionDrPlatform.class.getProtectionDomain().getCodeSource().getLocation().getPath();
        assertTrue(library.matches(".*/io/github/cdk-dr-platform/cdk-dr-platform/[^/]+/cdk-dr-platform-[^/]+\\.jar"),
                "cdk-dr-platform comes from " + library + ", not from a Maven repository");
        Properties cdk = new Properties();
        try (InputStream in = App.class.getResourceAsStream("/META-INF/maven/software.amazon.awscdk/aws-cdk-lib/pom.properties")) {
            assertNotNull(in, "aws-cdk-lib's pom.properties is not on the classpath");
            cdk.load(in);
        }
        String pinned = System.getProperty("cdk.version");
        assertNotNull(pinned, "surefire did not pass cdk.version");
        assertEquals(pinned, cdk.getProperty("version"));
    }

    @Test
    void thePlatformSynthesizesWithItsStoresEncryptedRetainedAndBackedUp() throws IOException {
        App app = app(Map.of("availability-zones:account=123456789012:region=eu-west-1", ZONES));
        PaymentsApp.Payments payments = PaymentsApp.paymentsStack(app, "prod", processorDir());
        Stack stack = payments.stack();
        SingleRegionDrPlatform platform = payments.platform();
        Template template = Template.fromStack(stack);

        for (String zone : ZONES) {
            template.hasResourceProperties("AWS::EC2::Subnet", Map.of("AvailabilityZone", zone));
        }
        Map.of(
                "AWS::EC2::VPC", 1,
                "AWS::EC2::NatGateway", 0,
                "AWS::RDS::DBCluster", 1,
                "AWS::DynamoDB::Table", 1,
                "AWS::Backup::BackupPlan", 1,
                "AWS::Backup::BackupSelection", 1)
                .forEach(template::resourceCountIs);

        // The cluster is encrypted with the key the platform made for the database, a rotated KMS key in the stack.
        IKey databaseKey = platform.getDatabase().getEncryptionKey();
        assertNotNull(databaseKey, "the platform's database store has no key");
        assertEncryptedWithItsOwnKey(stack, databaseKey);
        template.hasResource("AWS::RDS::DBCluster", Map.of(
                "DeletionPolicy", "Snapshot",
                "Properties", Match.objectLike(Map.of("DeletionProtection", true, "DBClusterIdentifier", "dr-aurora-prod"))));
        template.hasResource("AWS::DynamoDB::Table", Map.of(
                "DeletionPolicy", "Retain",
                "Properties", Match.objectLike(Map.of("TableName", "dr-table-prod", "DeletionProtectionEnabled", true))));
        template.hasResource("AWS::S3::Bucket", Map.of(
                "DeletionPolicy", "Retain",
                "Properties", Match.objectLike(Map.of(
                        "BucketName", "dr-data-123456789012-eu-west-1-prod",
                        "VersioningConfiguration", Map.of("Status", "Enabled")))));

        // Every function, the library's and the one added from Java, on the newest Node.js runtime aws-cdk-lib declares.
        String newest = HandlerRuntime.newestNodejs(stack).getName();
        Map<String, Map<String, Object>> functions = template.findResources("AWS::Lambda::Function");
        assertFalse(functions.isEmpty());
        functions.forEach((id, fn) -> assertEquals(newest, ((Map<?, ?>) fn.get("Properties")).get("Runtime"), id));
        assertEquals(1, platform.getFunctions().size());

        assertNoErrors(stack);
        assertNotNull(app.synth().getStackByName("Payments"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Prod_1", "prod-", "pr--od", "1prod", ""})
    void anInvalidEnvironmentSuffixThrowsAnErrorNamingTheProp(String suffix) throws IOException {
        String codeDir = processorDir();
        RuntimeException error = assertThrows(RuntimeException.class,
                () -> PaymentsApp.paymentsStack(new App(), suffix, codeDir));
        assertTrue(error.getMessage().contains("`environmentSuffix` must"), error.getMessage());
        assertTrue(error.getMessage().contains("got: \"" + suffix + "\""), error.getMessage());
    }

    /**
     * The quick start of docs/multi-region-dr-platform.md in Java, without its optional DNS routing (whose hosted
     * zone would sit in a stack of its own, empty here).
     */
    @Test
    void theMultiRegionQuickStartSynthesizesWithEachRegionsDatabaseEncryptedWithItsKey() throws IOException {
        App app = app(Map.of(
                "availability-zones:account=111111111111:region=us-east-1", List.of("us-east-1a", "us-east-1b", "us-east-1c"),
                "availability-zones:account=111111111111:region=us-west-2", List.of("us-west-2a", "us-west-2b", "us-west-2c")));
        MultiRegionDrPlatform dr = MultiRegionDrPlatform.Builder.create(app, "PaymentsDr")
                .environmentSuffix("prod")
                .primary(Environment.builder().account("111111111111").region("us-east-1").build())
                .secondary(Environment.builder().account("111111111111").region("us-west-2").build())
                .alarmEmails(List.of("oncall@example.com"))
                .regionRpo(Duration.minutes(15))
                .database(AuroraClusterOptions.builder().serverlessV2MinCapacity(8).serverlessV2MaxCapacity(16).build())
                .peering(true)
                .eventForwarding(true)
                .build();
        dr.addFunction("Processor", MultiRegionFunctionOptions.builder()
                .code(Code.fromAsset(processorDir()))
                .handler("index.handler")
                .runtime(HandlerRuntime.newestNodejs(app))
                .build());

        assertEquals("dr-processor-prod", dr.getFunctions().get(0).getSecondary().getFunctionName());
        assertEncryptedWithItsOwnKey(dr.getPrimaryStack(), dr.getPrimary().getDatabase().getEncryptionKey());
        Template.fromStack(dr.getSecondaryStack()).hasResourceProperties("AWS::RDS::DBCluster", Map.of(
                "StorageEncrypted", true,
                "GlobalClusterIdentifier", Match.anyValue(),
                "KmsKeyId", Match.anyValue()));
        for (Stack stack : List.of(dr.getPrimaryStack(), dr.getSecondaryFoundationStack(), dr.getSecondaryStack())) {
            assertNoErrors(stack);
        }
        assertEquals("us-west-2", dr.getSecondaryRegion());
    }
}
