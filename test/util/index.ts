import { App, AppProps, Stack, StackProps, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { AwsSolutionsChecks, HIPAASecurityChecks, NagPack, NIST80053R5Checks, PCIDSS321Checks } from 'cdk-nag';
import { Construct, IConstruct } from 'constructs';

export interface TestStackOptions extends StackProps {
  /** Run aws-cdk-lib's CloudFormation schema validation on synth. Off by default to keep unit tests fast. */
  readonly validate?: boolean;
  readonly context?: AppProps['context'];
}

/**
 * A stack in a fresh app. Schema validation is off unless asked for: the
 * dedicated validation tests turn it on and treat findings as errors.
 */
export function testStack(options: TestStackOptions = {}): Stack {
  const validate = options.validate ?? false;
  const app = new App({
    builtinCloudFormationValidation: validate,
    context: {
      // Strict: schema warnings fail synthesis too, not only errors.
      ...(validate ? { '@aws-cdk/core:validateAgainstDefaultRules': true, '@aws-cdk/core:strictCfnValidateErrors': true } : {}),
      ...options.context,
    },
  });
  return new Stack(app, 'TestStack', options);
}

/** The four cdk-nag 3 packs the library must pass. */
export function nagPacks(scope: IConstruct): NagPack[] {
  return [
    new AwsSolutionsChecks(scope),
    new NIST80053R5Checks(scope),
    new HIPAASecurityChecks(scope),
    new PCIDSS321Checks(scope),
  ];
}

/**
 * Every unacknowledged finding of the four packs, as `rule @ construct path`.
 * With `under`, only the findings on that construct's subtree (a test's own
 * scaffolding, such as a plain VPC, is not the construct's concern).
 */
export function nagFindings(scope: IConstruct, under?: IConstruct): string[] {
  const prefix = under ? `${under.node.path}/` : '';
  const findings: string[] = [];
  for (const pack of nagPacks(scope)) {
    const report = pack.validateScope(scope);
    for (const v of report.violations) {
      for (const r of v.violatingResources) {
        const path = r.constructPath ?? r.resourceLogicalId ?? '';
        if (path.startsWith(prefix)) {
          findings.push(`${v.ruleName} @ ${path}`);
        }
      }
    }
  }
  return findings.sort();
}

/** A VPC like the platform's: three AZs, public and isolated subnets, no NAT. */
export function isolatedVpc(scope: Construct, id = 'Vpc'): ec2.Vpc {
  return new ec2.Vpc(scope, id, {
    maxAzs: 3,
    natGateways: 0,
    subnetConfiguration: [
      { name: 'public', subnetType: ec2.SubnetType.PUBLIC },
      { name: 'isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    ],
  });
}

/** Synthesizes the stack's app; with `validate: true` schema findings throw. */
export function synth(stack: Stack): void {
  (stack.node.root as App).synth();
}

/**
 * Acknowledges, in the test app only, that the resources are not yet in an
 * AWS Backup plan: HourlyBackup is what puts them there.
 */
export function acknowledgeNotInBackupPlan(scope: IConstruct): void {
  Validations.of(scope).acknowledge(
    ...['NIST.800.53.R5', 'HIPAA.Security', 'PCI.DSS.321'].flatMap((pack) =>
      ['RDSInBackupPlan', 'DynamoDBInBackupPlan', 'S3BucketBackupEnabled'].map((rule) => ({
        id: `${pack}-${rule}`,
        reason: 'Standalone construct under test: HourlyBackup puts it in a backup plan.',
      }))),
  );
}
