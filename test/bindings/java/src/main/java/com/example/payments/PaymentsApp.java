// A CDK app in Java that uses the platform as a Java team would: the jar
// jsii-pacmak builds, with its builders and getters.
package com.example.payments;

import io.github.cdkdrplatform.DataAccess;
import io.github.cdkdrplatform.HandlerRuntime;
import io.github.cdkdrplatform.PlatformFunctionOptions;
import io.github.cdkdrplatform.SingleRegionDrPlatform;
import java.util.List;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.lambda.Code;
import software.constructs.Construct;

public final class PaymentsApp {
    /** The stack and the platform in it. */
    public record Payments(Stack stack, SingleRegionDrPlatform platform) {}

    private PaymentsApp() {}

    /** Adds the platform, with one function, to a stack in eu-west-1. */
    public static Payments paymentsStack(Construct scope, String suffix, String codeDir) {
        Stack stack = new Stack(scope, "Payments", StackProps.builder()
                .env(Environment.builder().account("123456789012").region("eu-west-1").build())
                .build());
        SingleRegionDrPlatform platform = SingleRegionDrPlatform.Builder.create(stack, "Platform")
                .environmentSuffix(suffix)
                .alarmEmails(List.of("oncall@example.com"))
                .build();
        platform.addFunction("Processor", PlatformFunctionOptions.builder()
                .code(Code.fromAsset(codeDir))
                .handler("index.handler")
                .runtime(HandlerRuntime.newestNodejs(stack))
                .bucketAccess(DataAccess.WRITE)
                .build());
        return new Payments(stack, platform);
    }

    public static void main(String[] args) {
        App app = new App();
        paymentsStack(app, "prod", "processor");
        app.synth();
    }
}
