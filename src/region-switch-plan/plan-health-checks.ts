import { CustomResource, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as arcregionswitch from 'aws-cdk-lib/aws-arcregionswitch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct, IConstruct } from 'constructs';
import { regionSwitchNames } from '../names';
import { BundledFunction } from '../private/bundled-function';
import { createEncryptedLogGroup } from '../private/log-group';
import { ManagedPolicyRole } from '../private/managed-role';
import { acknowledgeFinding, COMPLIANCE_PACKS } from '../private/nag';
import { createDrKey } from '../private/removal';
import { DrValidationError, quote } from '../private/validation';

/** How long the handler waits for ARC before failing with what it found; below the framework's total timeout. */
const HEALTH_CHECK_WAIT_MINUTES = 25;
/** The provider framework's total timeout, after which it fails with a bare "Operation timed out". */
const TOTAL_TIMEOUT = Duration.minutes(30);

/** What the lookup needs. */
export interface PlanHealthCheckLookupProps {
  readonly plan: arcregionswitch.CfnPlan;
  /** The plan's names: the plan's own, the lookup's log group and key alias. */
  readonly names: Pick<ReturnType<typeof regionSwitchNames>, 'plan' | 'healthChecksLogGroup' | 'healthChecksKeyAlias'>;
  readonly dns: { readonly hostedZoneId: string; readonly recordName: string };
  readonly regions: { readonly primary: string; readonly secondary: string };
  /** Encrypts the log group. @default - a key of its own, aliased `names.healthChecksKeyAlias` */
  readonly encryptionKey?: kms.IKey;
  /** Whether the key is deleted with the stack (removalPolicy DESTROY). */
  readonly destroy: boolean;
  readonly removalPolicy: RemovalPolicy;
}

/**
 * A custom resource that waits for the Route 53 health checks ARC creates
 * for a plan's DNS step (one per plan region, a few minutes after the plan)
 * and returns the id of each region's. The handler is
 * plan-health-checks.lambda.ts beside this file; the provider framework
 * polls it every 30 seconds for up to 30 minutes.
 */
export class PlanHealthCheckLookup extends Construct {
  /** The custom resource: attributes `PrimaryHealthCheckId` and `SecondaryHealthCheckId`. */
  public readonly resource: CustomResource;
  /** The handler (both the framework's onEvent and isComplete). */
  public readonly function: lambda.Function;
  /** The handler's role: `arc-region-switch:ListRoute53HealthChecks` on the plan, and its logs. */
  public readonly role: iam.IRole;
  private readonly regions: PlanHealthCheckLookupProps['regions'];

  constructor(scope: Construct, id: string, props: PlanHealthCheckLookupProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.regions = props.regions;
    const planArn = props.plan.attrArn;
    const encryptionKey = props.encryptionKey ?? createDrKey(this, 'Key', {
      alias: props.names.healthChecksKeyAlias,
      description: `Encrypts the logs of the health-check lookup of ${props.names.plan}`,
      destroy: props.destroy,
    });
    const logGroup = createEncryptedLogGroup(this, 'LogGroup', {
      logGroupName: props.names.healthChecksLogGroup,
      retention: logs.RetentionDays.ONE_YEAR,
      encryptionKey,
      removalPolicy: props.removalPolicy,
    });
    const role = new ManagedPolicyRole(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Reads the Route 53 health checks of the Region switch plan ${props.names.plan}`,
    });
    this.role = role;
    const policy = role.addStatements(
      // The plan's ARN only: ListRoute53HealthChecks names the plan
      // (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonapplicationrecoverycontroller-regionswitch.html).
      new iam.PolicyStatement({ actions: ['arc-region-switch:ListRoute53HealthChecks'], resources: [planArn] }),
      new iam.PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [logGroup.logGroupArn, `${logGroup.logGroupArn}:log-stream:*`],
      }),
    );
    this.function = new BundledFunction(this, 'Handler', {
      bundle: 'region-switch-plan/plan-health-checks',
      description: `Waits for the Route 53 health checks of ${props.names.plan} and returns each region's`,
      role,
      timeout: Duration.minutes(2),
      memorySize: 256,
      logGroup,
      // A deploy's polls run one at a time; the second is for a replaced plan's old resource being deleted meanwhile.
      reservedConcurrentExecutions: 2,
    });
    this.function.node.addDependency(policy);

    const provider = new cr.Provider(this, 'Provider', {
      onEventHandler: this.function,
      isCompleteHandler: this.function,
      queryInterval: Duration.seconds(30),
      totalTimeout: TOTAL_TIMEOUT,
      logGroup,
      disableWaiterStateMachineLogging: false,
      waiterStateMachineLogOptions: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
    });
    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: provider.serviceToken,
      resourceType: 'Custom::DrRegionSwitchHealthChecks',
      properties: {
        PlanArn: planArn,
        // Not read by the handler: a plan update (a new version) makes CloudFormation run the lookup again,
        // in case ARC replaced the health checks (not documented either way).
        PlanVersion: props.plan.attrVersion,
        HostedZoneId: props.dns.hostedZoneId,
        RecordName: props.dns.recordName,
        PrimaryRegion: props.regions.primary,
        SecondaryRegion: props.regions.secondary,
        WaitMinutes: String(HEALTH_CHECK_WAIT_MINUTES),
      },
    });

    acknowledgeNagFindings(this, provider, policy, logGroup, stack);
  }

  /** The health check id ARC created for `region`, one of the plan's; refused otherwise, on `scope` (the plan). */
  public healthCheckId(scope: IConstruct, region: string): string {
    if (region === this.regions.primary) return this.resource.getAttString('PrimaryHealthCheckId');
    if (region === this.regions.secondary) return this.resource.getAttString('SecondaryHealthCheckId');
    throw new DrValidationError(scope,
      `healthCheckId's \`region\` must be ${this.regions.primary} or ${this.regions.secondary}, the plan's regions, got: ${quote(region)}`);
  }
}

function acknowledgeNagFindings(scope: IConstruct, provider: cr.Provider, policy: iam.ManagedPolicy, logGroup: logs.LogGroup, stack: Stack): void {
  const why = (finding: string) => `Region switch plan health-check lookup, invoked only by CloudFormation during a deploy: ${finding}`;
  for (const fn of [scope.node.findChild('Handler'), provider]) {
    acknowledgeFinding(fn, 'LambdaInsideVPC', COMPLIANCE_PACKS,
      why('it calls only the ARC Region switch control plane (in us-east-1 for the aws partition) and Lambda, endpoints of another region or of the service, with no network resource of the app to reach.'));
    acknowledgeFinding(fn, 'LambdaDLQ', ['NIST.800.53.R5', 'HIPAA.Security'],
      why('the framework invokes the handler synchronously and reports every failure to CloudFormation, which fails the resource and shows the reason; a queue would hold nothing the stack events do not.'));
  }
  acknowledgeFinding(policy, `IAM5[Resource::<${stack.getLogicalId(logGroup.node.defaultChild as logs.CfnLogGroup)}.Arn>:log-stream:*]`, ['AwsSolutions'],
    why('Lambda names its log streams at run time, inside this one log group.'));
  // The framework's own functions, roles and waiter are aws-cdk-lib's: their runtime, policies and tracing are not ours to set.
  acknowledgeFinding(provider, 'L1', ['AwsSolutions'], why('the provider framework\'s functions run the runtime aws-cdk-lib picks for them.'));
  acknowledgeFinding(provider, 'IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]', ['AwsSolutions'],
    why('the provider framework\'s roles use AWSLambdaBasicExecutionRole as aws-cdk-lib writes them.'));
  const handler = scope.node.findChild('Handler').node.defaultChild as lambda.CfnFunction;
  const frameworkFunctions = ['framework-isComplete', 'framework-onTimeout'].map((id) => provider.node.findChild(id).node.defaultChild as lambda.CfnFunction);
  for (const fn of [handler, ...frameworkFunctions]) {
    acknowledgeFinding(provider, `IAM5[Resource::<${stack.getLogicalId(fn)}.Arn>:*]`, ['AwsSolutions'],
      why('the provider framework grants invoke on a function\'s versions and aliases (`:*`), as aws-cdk-lib writes it.'));
  }
  acknowledgeFinding(provider, 'IAM5[Resource::*]', ['AwsSolutions'],
    why('the waiter\'s log delivery actions (logs:CreateLogDelivery and the like) accept no resource but `*` (https://docs.aws.amazon.com/step-functions/latest/dg/cw-logs.html).'));
  acknowledgeFinding(provider, 'SF2', ['AwsSolutions'], why('the provider framework\'s waiter has no X-Ray tracing option; its executions are logged to the lookup\'s log group.'));
  acknowledgeFinding(provider, 'StepFunctionStateMachineXray', ['NIST.800.53.R5', 'HIPAA.Security', 'PCI.DSS.321'],
    why('the provider framework\'s waiter has no X-Ray tracing option; its executions are logged to the lookup\'s log group.'));
  acknowledgeFinding(provider, 'LambdaConcurrency', ['NIST.800.53.R5', 'HIPAA.Security', 'PCI.DSS.321'],
    why('the provider framework\'s functions have no concurrency option; they run only while CloudFormation waits for this resource.'));
  acknowledgeFinding(provider, 'IAMNoInlinePolicy', COMPLIANCE_PACKS,
    why('the provider framework\'s roles get inline policies as aws-cdk-lib writes them, scoped to the handler and the waiter.'));
}
