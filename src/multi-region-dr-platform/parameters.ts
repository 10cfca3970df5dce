import { CfnOutput, Duration, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { AuroraGlobalSecondary } from '../aurora-global-secondary';
import { parameterName } from '../names';
import { describeDuration } from '../private/duration';

/**
 * The SSM parameters each region publishes for its functions and operators:
 * `/dr/{suffix}/{path}`, one per value, named alike in both regions so one
 * build of the code reads its own region's.
 */
export class RegionParameters {
  /** The parameters published so far. */
  public readonly parameters: ssm.StringParameter[] = [];

  constructor(private readonly stack: Stack, private readonly environmentSuffix: string) {}

  /** The region's role and its peer, then each value. */
  public publishRegion(role: string, peerRegion: string, values: Record<string, string>): void {
    this.publish('region/role', role);
    this.publish('region/peer', peerRegion);
    for (const [path, value] of Object.entries(values)) {
      this.publish(path, value);
    }
  }

  /** One value. */
  public publish(path: string, value: string): void {
    const id = `Parameter${path.split(/[^A-Za-z0-9]/).filter(Boolean).map((p) => p.charAt(0).toUpperCase() + p.slice(1)).join('')}`;
    this.parameters.push(new ssm.StringParameter(this.stack, id, {
      parameterName: parameterName(this.environmentSuffix, path),
      stringValue: value,
      description: `cdk-dr-platform (${this.environmentSuffix}): ${path.replace(/\//g, ' ')} in this region`,
      tier: ssm.ParameterTier.STANDARD,
    }));
  }
}

/** What the platform's outputs show. */
export interface RegionOutputs {
  readonly regionRpo: Duration;
  /** The region-loss coverage, in words (lazy: functions added later are in it). */
  readonly summary: string;
  readonly secondaryVpc: ec2.IVpc;
  readonly secondaryDatabase: AuroraGlobalSecondary;
  readonly tableName: string;
  readonly replicaBucketName: string;
  readonly copyVaultName: string;
  readonly alarmTopic: sns.ITopic;
  readonly dashboardName: string;
  /** The secondary's function names (lazy). */
  readonly functionNames: string;
}

/** The region RPO and region-loss coverage in both regional stacks, and what the secondary has in its own. */
export function addRegionOutputs(primaryStack: Stack, secondaryStack: Stack, o: RegionOutputs): void {
  for (const stack of [primaryStack, secondaryStack]) {
    new CfnOutput(stack, 'RegionRpo', { value: describeDuration(o.regionRpo), description: 'The most data the workload may lose with the primary region' });
    new CfnOutput(stack, 'RegionLossCoverage', { value: o.summary, description: 'What each resource loses if the primary region is lost' });
  }
  const output = (oid: string, value: string, description: string) => new CfnOutput(secondaryStack, oid, { value, description });
  output('VpcId', o.secondaryVpc.vpcId, 'VPC of the secondary region');
  output('DatabaseEndpoint', o.secondaryDatabase.clusterEndpoint.socketAddress, 'Secondary Aurora cluster endpoint (host:port): read-only until promoted');
  output('DatabaseReaderEndpoint', o.secondaryDatabase.clusterReadEndpoint.socketAddress, 'Secondary Aurora reader endpoint (host:port)');
  output('TableName', o.tableName, 'The table replica in this region');
  output('BucketName', o.replicaBucketName, 'The replica bucket');
  output('CopyVaultName', o.copyVaultName, 'The vault holding copies of the primary\'s snapshots');
  output('AlarmTopicArn', o.alarmTopic.topicArn, 'SNS topic every DR alarm of the secondary region notifies');
  output('DashboardName', o.dashboardName, 'CloudWatch dashboard of the secondary region');
  output('FunctionNames', o.functionNames, 'Functions deployed in the secondary region');
}
