import { App, AppProps, Stack, StackProps, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { AwsSolutionsChecks, HIPAASecurityChecks, NagPack, NIST80053R5Checks, PCIDSS321Checks } from 'cdk-nag';
import { Construct, IConstruct } from 'constructs';
import { STRICT_VALIDATION_CONTEXT } from '../../scripts/strict-validation';

/** `test:fast`, the edit loop, sets CDK_DR_TEST_LANE=fast: it leaves compliance out (issue 16). */
const FAST_LANE = process.env.CDK_DR_TEST_LANE === 'fast';

/**
 * A compliance test: strict CloudFormation schema validation of a whole
 * configuration. `test` and CI run it; `test:fast` skips it, and reports it
 * skipped. The validator starts in a second or more in every test file that
 * uses it, which was a third of the fast lane. testApp refuses `validate` in
 * the fast lane, so a validating test of a file the fast lane runs that is
 * not declared with this fails there. (The sweeps and the whole-app checks,
 * which the fast lane skips by path, validate under plain `test`.)
 */
export const complianceTest: jest.It = FAST_LANE ? test.skip : test;

export interface TestAppOptions extends Omit<AppProps, 'builtinCloudFormationValidation'> {
  /** Validate every template against the CloudFormation schema on synth, strictly. Off by default to keep unit tests fast. */
  readonly validate?: boolean;
}

/**
 * An app for a unit test. aws-cdk-lib validates each template against the
 * CloudFormation schema on synth unless told not to
 * (`builtinCloudFormationValidation`, default true). Without the
 * strict context its findings are only warnings that no test reads, and the
 * validator is most of a multi-region synth's time, so a test app validates
 * only when asked, and then strictly: a finding fails synthesis (unless the
 * test's own context turns the strict flags off).
 */
export function testApp(options: TestAppOptions = {}): App {
  const { validate = false, context, ...props } = options;
  if (validate && FAST_LANE) {
    throw new Error('Strict schema validation is a compliance check, which test:fast leaves out: declare this test with complianceTest() from test/util');
  }
  return new App({
    ...props,
    builtinCloudFormationValidation: validate,
    context: { ...(validate ? STRICT_VALIDATION_CONTEXT : {}), ...context },
  });
}

export interface TestStackOptions extends StackProps {
  /** Validate the template against the CloudFormation schema on synth, strictly. Off by default to keep unit tests fast. */
  readonly validate?: boolean;
  readonly context?: AppProps['context'];
}

/**
 * A stack in a fresh app (see testApp). Schema validation is off unless
 * asked for: the dedicated validation tests turn it on and treat findings as
 * errors.
 */
export function testStack(options: TestStackOptions = {}): Stack {
  const { validate, context, ...stackProps } = options;
  return new Stack(testApp({ validate, context }), 'TestStack', stackProps);
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

/**
 * Services a function's role lets it call whose calls are made by another
 * AWS service on its behalf, so they need no route from the function:
 * Lambda writes its logs, manages its network interfaces and sends to its
 * dead-letter queue; S3, DynamoDB and Secrets Manager call KMS; rds-db:connect
 * only signs a token locally.
 */
const ON_BEHALF = new Set(['logs', 'ec2', 'sqs', 'kms', 'rds-db']);
const GATEWAY_SERVICES = new Set(['s3', 'dynamodb']);

/** An endpoint's service name as text, whether literal or joined with the region. */
function serviceNameOf(value: any): string {
  if (typeof value === 'string') return value;
  const [separator, parts] = value['Fn::Join'];
  return parts.map((p: any) => (typeof p === 'string' ? p : '<token>')).join(separator);
}

/**
 * For every Lambda function in a VPC, every service its role allows must
 * have an endpoint in that VPC: a gateway endpoint for S3 and DynamoDB,
 * an interface endpoint with private DNS, in the function's subnets and
 * admitting its security group, for anything else. Returns what is missing.
 */
export function missingEndpoints(template: { Resources: Record<string, any> }): string[] {
  const resources = template.Resources;
  const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
  const refId = (v: any): string | undefined => v?.Ref ?? v?.['Fn::GetAtt']?.[0];
  const missing: string[] = [];
  for (const [fnId, fn] of ofType('AWS::Lambda::Function')) {
    const vpcConfig = fn.Properties.VpcConfig;
    if (!vpcConfig) continue;
    const roleId = refId(fn.Properties.Role);
    const statements = Object.values(resources)
      .filter((r: any) => (r.Type === 'AWS::IAM::ManagedPolicy' || r.Type === 'AWS::IAM::Policy')
        && (r.Properties.Roles ?? []).some((x: any) => refId(x) === roleId))
      .flatMap((r: any) => r.Properties.PolicyDocument.Statement);
    const services = new Set(statements.flatMap((s: any) => [s.Action].flat()).map((a: string) => a.split(':')[0]));
    const fnGroups = new Set(vpcConfig.SecurityGroupIds.map(refId));
    const fnSubnets = JSON.stringify([...vpcConfig.SubnetIds].map(refId).sort());
    const subnetVpc = (subnetId: string) => refId(resources[subnetId]?.Properties?.VpcId);
    const vpcId = subnetVpc(refId(vpcConfig.SubnetIds[0])!);
    for (const service of services) {
      if (ON_BEHALF.has(service)) continue;
      const endpoints = ofType('AWS::EC2::VPCEndpoint').map(([, e]) => e.Properties)
        .filter((e) => refId(e.VpcId) === vpcId && serviceNameOf(e.ServiceName).endsWith(`.${service}`));
      const ok = endpoints.some((e) => {
        if (GATEWAY_SERVICES.has(service)) return e.VpcEndpointType === 'Gateway';
        if (e.VpcEndpointType !== 'Interface' || e.PrivateDnsEnabled !== true) return false;
        if (JSON.stringify([...e.SubnetIds].map(refId).sort()) !== fnSubnets) return false;
        // One of the endpoint's security groups admits one of the function's on 443.
        const admits = (sg: string) => ofType('AWS::EC2::SecurityGroupIngress').some(([, i]) => refId(i.Properties.GroupId) === sg
          && fnGroups.has(refId(i.Properties.SourceSecurityGroupId)) && i.Properties.FromPort <= 443 && i.Properties.ToPort >= 443);
        return e.SecurityGroupIds.map(refId).some(admits);
      });
      if (!ok) missing.push(`${fnId} calls ${service} with no usable endpoint in its VPC`);
    }
  }
  return missing;
}

/**
 * For every KMS-encrypted SNS topic in the template: the services that publish
 * to it (CloudWatch alarm actions, EventBridge rule targets, backup vault
 * notifications) that the key policy does not let use the key. SNS encrypts
 * with the key on the publisher's behalf, so a missing one drops its messages.
 */
export function publishersWithoutKeyAccess(template: Record<string, any>): string[] {
  const resources: Record<string, any> = template.Resources;
  const refersTo = (value: unknown, id: string) => JSON.stringify(value ?? null).includes(`"Ref":"${id}"`);
  const missing: string[] = [];
  for (const [topicId, topic] of Object.entries(resources)) {
    if (topic.Type !== 'AWS::SNS::Topic' || !topic.Properties?.KmsMasterKeyId) continue;
    const keyId = topic.Properties.KmsMasterKeyId['Fn::GetAtt']?.[0];
    const statements: any[] = resources[keyId]?.Properties?.KeyPolicy?.Statement ?? [];
    const publishers = new Set<string>();
    for (const r of Object.values(resources)) {
      if (r.Type === 'AWS::CloudWatch::Alarm' && refersTo(r.Properties?.AlarmActions, topicId)) publishers.add('cloudwatch.amazonaws.com');
      if (r.Type === 'AWS::Events::Rule' && refersTo(r.Properties?.Targets, topicId)) publishers.add('events.amazonaws.com');
      if (r.Type === 'AWS::Backup::BackupVault' && refersTo(r.Properties?.Notifications, topicId)) publishers.add('backup.amazonaws.com');
    }
    for (const service of publishers) {
      const allowed = statements.some((s) => s.Effect === 'Allow'
        && [s.Principal?.Service].flat().includes(service)
        // kms:GenerateDataKey* covers kms:GenerateDataKey.
        && [['kms:GenerateDataKey', 'kms:GenerateDataKey*'], ['kms:Decrypt']].every((any) => any.some((a) => [s.Action].flat().includes(a))));
      if (!allowed) missing.push(`${service} -> ${topicId}`);
    }
  }
  return missing;
}
