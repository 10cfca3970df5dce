import { Stack, Token } from 'aws-cdk-lib';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { IConstruct } from 'constructs';

/** AWS name-length limits of the resources this library names. */
export const NAME_LIMITS = {
  s3Bucket: 63,
  auroraCluster: 63,
  rdsInstance: 63,
  dynamodbTable: 255,
  lambdaFunction: 64,
  iamRole: 64,
  backupVault: 50,
  backupPlan: 50,
  backupSelection: 50,
  backupAuditFramework: 256,
  backupReportPlan: 256,
  restoreTestingPlan: 50,
  snsTopic: 256,
  kmsAlias: 256,
  logGroup: 512,
  securityGroup: 255,
  rdsSubnetGroup: 255,
  rdsParameterGroup: 255,
  cloudwatchAlarm: 255,
  cloudwatchDashboard: 255,
  eventsRule: 64,
  eventBus: 256,
  sqsQueue: 80,
  auroraGlobalCluster: 63,
  secretsManagerSecret: 512,
  /** The VPC's `Name` tag (a tag value may have 256; the library has always kept one below). */
  vpcName: 255,
  cloudformationStack: 128,
  /** ARC Region switch plan names: 1 to 32 characters of [A-Za-z0-9-]. */
  regionSwitchPlan: 32,
  /** An SSM parameter name, its path included. */
  ssmParameter: 1011,
  /** https://docs.aws.amazon.com/step-functions/latest/apireference/API_CreateStateMachine.html */
  stepFunctionsStateMachine: 80,
  /** https://docs.aws.amazon.com/scheduler/latest/APIReference/API_CreateSchedule.html */
  schedulerSchedule: 64,
} as const;

/** One physical name a construct derives from the environment suffix. */
export interface DerivedName {
  /** What the name is for, as error messages say it: "S3 bucket". */
  readonly resource: string;
  /** The name as it will be deployed (account and region at their longest when unknown). */
  readonly name: string;
  /** The AWS limit on the name's length. */
  readonly maxLength: number;
  /**
   * What else the name is made of, as a message names it (`the construct id
   * "X"`): blamed when the name breaks its limit whatever the suffix.
   */
  readonly otherPart?: string;
  /**
   * Whether the name is unique per account rather than per account and
   * region (an Aurora global cluster, a CloudWatch dashboard, an IAM role):
   * two stacks of one account collide on it whatever their regions.
   */
  readonly accountWide?: boolean;
}

/** `{resourceType}-{environmentSuffix}`, the library's naming convention. */
export function physicalName(resourceType: string, environmentSuffix: string): string {
  return `${resourceType}-${environmentSuffix}`;
}

/** The longest account ID and region code a name may have to carry. */
const ACCOUNT_ID_LENGTH = 12;
const LONGEST_REGION_LENGTH = Math.max(...RegionInfo.regions.map((r) => r.name.length));

/** A placeholder as long as the longest region code, for names that carry a region. */
export const LONGEST_REGION = 'x'.repeat(LONGEST_REGION_LENGTH);

/** A placeholder as long as an account ID, for names that carry one. */
export const LONGEST_ACCOUNT = '0'.repeat(ACCOUNT_ID_LENGTH);

/**
 * The stack's account and region for length arithmetic: the real values when
 * the stack is environment-specific, otherwise placeholders as long as the
 * longest account ID and region code, so a name that passes here fits anywhere.
 */
export function accountAndRegionForLength(scope: IConstruct): { account: string; region: string } {
  const stack = Stack.of(scope);
  return {
    account: Token.isUnresolved(stack.account) ? LONGEST_ACCOUNT : stack.account,
    region: Token.isUnresolved(stack.region) ? LONGEST_REGION : stack.region,
  };
}
