import { Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import { Construct } from 'constructs';
import { restoreDrillDerivedNames, restoreDrillNames, validateEnvironmentSuffix } from '../names';
import { drillDeadLetterQueue, drillPlanMeasurements, drillSelections } from './drill-parts';
import { drillTargets, restoredCopyPort, validateDrillCopies, validateDrillRegions } from './drill-targets';
import { DrillCopies, RestoreDrillProps } from './restore-drill-props';
import { databaseKeyStatements, restoredBucketStatements, restoredTableStatements } from './validator-statements';
import { BundledFunction } from '../private/bundled-function';
import { validateDuration } from '../private/duration';
import { createEncryptedLogGroup } from '../private/log-group';
import { ManagedPolicyRole } from '../private/managed-role';
import { acknowledgeFinding, COMPLIANCE_PACKS } from '../private/nag';
import {
  DIMENSION_ENVIRONMENT,
  DIMENSION_RESOURCE_TYPE,
  DRILL_SERVICE,
  METRIC_DRILL_FAILED,
  METRIC_DRILL_SUCCEEDED,
  METRIC_MEASURED_RTO,
  RECOVERY_NAMESPACE,
} from '../private/recovery-metrics';
import { createDrKey, isDestroy, retainUnlessDestroy } from '../private/removal';
import { validateBackupCron } from '../private/schedule';
import { DrValidationError, quote } from '../private/validation';
import { DrillPlanMeasurement } from '../recovery-point-monitor/drill-plans';
import { ProtectedResourceType } from '../stores/protected-resource';

/** The start of every name restore testing gives a restored copy (Aurora cluster, DynamoDB table, S3 bucket). */
const RESTORED_PREFIX = 'awsbackup-restore-test';
/** The validator's drill instance is `drill-` + the restored cluster's identifier (see `drillInstanceId`). */
const DRILL_INSTANCE_PREFIX = `drill-${RESTORED_PREFIX}`;

/**
 * Restore drills that prove the backups restore and time the RTO: an AWS
 * Backup restore testing plan that restores the latest recovery point of
 * each drilled resource on a schedule, into the platform's VPC, a drill
 * subnet group and security group and the resources' own keys (restore
 * testing otherwise assumes the default VPC, which a NAT-less platform
 * lacks), and a validator on the restore events that checks each restored
 * copy, reports the verdict to AWS Backup and publishes the measured RTO.
 *
 * Drills never touch the live resources: the validator's role is denied
 * every change to them, and restored copies are deleted by AWS Backup at
 * the end of the validation window.
 */
export class RestoreDrill extends Construct {
  /** The restore testing plan of snapshot recovery points (every drilled resource). */
  public readonly plan: backup.CfnRestoreTestingPlan;
  /**
   * The restore testing plan of continuous (point-in-time) recovery points,
   * for the drilled Aurora cluster and bucket; undefined when
   * `continuousRecoveryPoints` is false or only a table is drilled.
   */
  public readonly continuousPlan?: backup.CfnRestoreTestingPlan;
  /** The ARNs of the restore testing plans, snapshot plan first: the validator accepts jobs of these only. */
  public readonly restoreTestingPlanArns: string[];
  /** Both plans as RecoveryPointMonitor's `drillPlans`: `snapshot` (every drilled type) and `continuous` (Aurora, S3). */
  public get drillPlans(): DrillPlanMeasurement[] {
    return drillPlanMeasurements(this.plan, this.continuousPlan, this.resourceTypes);
  }
  /** One selection per drilled resource and plan. */
  public readonly selections: backup.CfnRestoreTestingSelection[] = [];
  /** The role AWS Backup restores with. */
  public readonly restoreRole: iam.IRole;
  /** The validator, on restore job events (outside the VPC). */
  public readonly validator: lambda.Function;
  /** The smoke query function (in the VPC). */
  public readonly smokeQueryFunction: lambda.Function;
  /** The security group of restored clusters: it admits only the smoke query. */
  public readonly securityGroup: ec2.ISecurityGroup;
  /** The subnet group restored clusters go in. */
  public readonly subnetGroup?: rds.ISubnetGroup;
  /** The rule that invokes the validator. */
  public readonly rule: events.Rule;
  /** The key for logs, environment and dead-letter queue. */
  public readonly encryptionKey: kms.IKey;
  /** The validation window. */
  public readonly validationWindow: Duration;
  /** The drill schedule. */
  public readonly schedule: events.Schedule;
  /** The longest the schedule leaves between two drills. */
  public readonly scheduleInterval: Duration;
  /** The resource types drilled (Aurora, DynamoDB, S3). */
  public readonly resourceTypes: ProtectedResourceType[] = [];
  /** The environment suffix, the `Environment` dimension of every metric. */
  public readonly environmentSuffix: string;
  /** The copies drilled, when `vault` holds another region's copies. */
  public readonly copies?: DrillCopies;

  constructor(scope: Construct, id: string, props: RestoreDrillProps) {
    super(scope, id);
    validateEnvironmentSuffix(this, props.environmentSuffix, restoreDrillDerivedNames);
    const suffix = props.environmentSuffix;
    const names = restoreDrillNames(suffix);
    this.environmentSuffix = suffix;
    this.copies = props.copies;
    validateDrillCopies(this, props.copies, props.continuousRecoveryPoints);
    if (!props.database && !props.table && !props.bucket) {
      throw new DrValidationError(this, 'RestoreDrill needs something to drill: pass `database`, `table` or `bucket`');
    }
    const { database, databaseKey, table, tableKey, bucket, bucketKey } = drillTargets(this, props);
    validateDrillRegions(this, props.vault.backupVaultArn, [['database', props.database], ['table', props.table]]);
    this.schedule = props.schedule ?? events.Schedule.cron({ minute: '0', hour: '3', weekDay: 'SUN' });
    validateBackupCron(this, 'schedule', this.schedule.expressionString);
    if (props.schedule && !props.scheduleInterval) {
      throw new DrValidationError(this,
        `\`scheduleInterval\` must be given with \`schedule\` (${props.schedule.expressionString}): it is the longest gap between two drills, after which a drill counts as overdue`);
    }
    this.scheduleInterval = props.scheduleInterval ?? Duration.days(7);
    validateDuration(this, 'scheduleInterval', this.scheduleInterval, {
      unit: 'hours',
      min: 1,
      max: 744,
      maxReason: '31 days, a monthly schedule\'s longest gap',
      tokens: false,
      tokenReason: 'the overdue-drill alarm\'s threshold is computed from it at synth',
    });
    // Concrete values only: a token would leave the plan or a selection on AWS's
    // default while the validator and the docs assume the number given.
    const startHours = validateDuration(this, 'startWindow', props.startWindow ?? Duration.hours(1), {
      unit: 'hours', min: 1, max: 168, tokens: false, tokenReason: 'the restore testing plan takes it as whole hours, checked at synth',
    })!;
    const selectionDays = validateDuration(this, 'selectionWindow', props.selectionWindow ?? Duration.days(7), {
      unit: 'days', min: 1, max: 365, tokens: false, tokenReason: 'the restore testing plan takes it as whole days, checked at synth',
    })!;
    this.validationWindow = props.validationWindow ?? Duration.hours(4);
    const validationHours = validateDuration(this, 'validationWindow', this.validationWindow, {
      unit: 'hours',
      min: 1,
      max: 168,
      tokens: false,
      tokenReason: 'every selection keeps the copies that long and the validator\'s deadline is computed from it at synth',
    })!;
    const databasePort = database ? restoredCopyPort(this, database, props.databasePort ?? props.database?.connection?.port) : undefined;
    const probe = props.bucketProbeKey;
    if (probe !== undefined && !Token.isUnresolved(probe) && (probe.length === 0 || probe.length > 1024)) {
      throw new DrValidationError(this, `\`bucketProbeKey\` must be an S3 key of 1 to 1024 characters, got: ${quote(props.bucketProbeKey)}`);
    }

    const stack = Stack.of(this);
    const destroy = isDestroy(this, props.removalPolicy, `the logs and dead-letter queue of the ${suffix} restore drills`);
    this.encryptionKey = props.encryptionKey ?? createDrKey(this, 'EncryptionKey', {
      alias: names.keyAlias,
      description: `Encrypts the logs, environment and dead-letter queue of the DR restore drills (${suffix})`,
      destroy,
    });
    const vpcSubnets = props.vpcSubnets ?? { subnetType: ec2.SubnetType.PRIVATE_ISOLATED };

    // The restore role: AWS Backup's restore policies and the keys the copies are encrypted with.
    const restoreRole = new ManagedPolicyRole(this, 'RestoreRole', {
      assumedBy: new iam.ServicePrincipal('backup.amazonaws.com'),
      description: `AWS Backup restores the ${suffix} DR drills with this role`,
    });
    this.restoreRole = restoreRole;
    const managed = ['AWSBackupServiceRolePolicyForRestores', ...(bucket ? ['AWSBackupServiceRolePolicyForS3Restore'] : [])];
    for (const policyName of managed) {
      restoreRole.addManagedPolicy(iam.ManagedPolicy.fromAwsManagedPolicyName(`service-role/${policyName}`));
      acknowledgeFinding(restoreRole, `IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/${policyName}]`, ['AwsSolutions'],
        `${policyName} is the AWS-managed policy AWS Backup documents for restores; AWS keeps it current.`);
    }
    // Copies are encrypted with their vault's key, restored with the handles' keys.
    const keys = [databaseKey, tableKey, bucketKey, props.copies?.encryptionKey]
      .filter((k): k is kms.IKey => !!k);
    const uniqueKeys = [...new Set(keys)];
    if (uniqueKeys.length) {
      restoreRole.addStatements(
        new iam.PolicyStatement({
          actions: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:GenerateDataKeyWithoutPlaintext', 'kms:ReEncryptFrom', 'kms:ReEncryptTo', 'kms:DescribeKey'],
          resources: uniqueKeys.map((k) => k.keyArn),
        }),
        new iam.PolicyStatement({
          actions: ['kms:CreateGrant'],
          resources: uniqueKeys.map((k) => k.keyArn),
          conditions: { Bool: { 'kms:GrantIsForAWSResource': 'true' } },
        }),
      );
    }

    // One plan per recovery point kind. AWS Backup chooses the recovery
    // point per plan (RecoveryPointSelection): with both SNAPSHOT and
    // CONTINUOUS in one plan it restores "either a snapshot or a continuous
    // recovery point", the latest in the window, and AWS does not document
    // which kind wins, so one plan could drill one kind forever. Two plans
    // on the same schedule drill each kind every time.
    // https://docs.aws.amazon.com/aws-backup/latest/devguide/API_RestoreTestingRecoveryPointSelection.html
    const newPlan = (planId: string, restoreTestingPlanName: string, kind: 'SNAPSHOT' | 'CONTINUOUS') => new backup.CfnRestoreTestingPlan(this, planId, {
      restoreTestingPlanName,
      scheduleExpression: this.schedule.expressionString,
      startWindowHours: startHours,
      recoveryPointSelection: {
        algorithm: 'LATEST_WITHIN_WINDOW',
        includeVaults: [props.vault.backupVaultArn],
        recoveryPointTypes: [kind],
        selectionWindowDays: selectionDays,
      },
    });
    this.plan = newPlan('Plan', names.plan, 'SNAPSHOT');
    // AWS Backup keeps continuous points for Aurora/RDS and S3 only (and SAP HANA on EC2); DynamoDB's PITR is the
    // table's own feature, so a table has no continuous point to drill; copies are snapshots.
    // https://docs.aws.amazon.com/aws-backup/latest/devguide/point-in-time-recovery.html
    const continuous = !props.copies && (props.continuousRecoveryPoints ?? true) && (!!database || !!bucket);
    if (continuous) this.continuousPlan = newPlan('ContinuousPlan', names.continuousPlan, 'CONTINUOUS');
    this.restoreTestingPlanArns = [this.plan, ...(this.continuousPlan ? [this.continuousPlan] : [])].map((p) => p.attrRestoreTestingPlanArn);

    // Functions: the smoke query in the VPC, the validator outside it.
    const smokeLogs = createEncryptedLogGroup(this, 'SmokeQueryLogs', {
      logGroupName: names.smoke.logGroup,
      retention: logs.RetentionDays.ONE_YEAR,
      encryptionKey: this.encryptionKey,
      removalPolicy: retainUnlessDestroy(props.removalPolicy),
    });
    const validatorLogs = createEncryptedLogGroup(this, 'ValidatorLogs', {
      logGroupName: names.validator.logGroup,
      retention: logs.RetentionDays.ONE_YEAR,
      encryptionKey: this.encryptionKey,
      removalPolicy: retainUnlessDestroy(props.removalPolicy),
    });
    const smokeRole = new ManagedPolicyRole(this, 'SmokeQueryRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Runs the smoke query against restored Aurora copies (${suffix}); it calls no AWS API`,
    });
    const smokePolicy = smokeRole.addStatements(
      new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [smokeLogs.logGroupArn, `${smokeLogs.logGroupArn}:log-stream:*`] }),
      new iam.PolicyStatement({ actions: ['kms:Decrypt'], resources: [this.encryptionKey.keyArn] }),
      // Lambda manages the function's network interfaces with these; EC2 has no resource-level permissions for them.
      new iam.PolicyStatement({
        actions: ['ec2:CreateNetworkInterface', 'ec2:DescribeNetworkInterfaces', 'ec2:DeleteNetworkInterface', 'ec2:AssignPrivateIpAddresses', 'ec2:UnassignPrivateIpAddresses'],
        resources: ['*'],
      }),
    );
    const smokeSecurityGroup = new ec2.SecurityGroup(this, 'SmokeQuerySecurityGroup', {
      vpc: props.vpc,
      description: `Restore drill smoke query (${suffix}): PostgreSQL to restored copies only`,
      allowAllOutbound: false,
    });
    this.securityGroup = new ec2.SecurityGroup(this, 'RestoredClusterSecurityGroup', {
      vpc: props.vpc,
      description: `Restored Aurora copies of the ${suffix} DR drills: admits only the smoke query`,
      allowAllOutbound: false,
    });
    if (databasePort) this.securityGroup.connections.allowFrom(smokeSecurityGroup, ec2.Port.tcp(databasePort), 'Smoke query to restored copies');
    const smokeQueue = drillDeadLetterQueue(this, 'SmokeQueryDeadLetterQueue', names.smoke.deadLetterQueue, this.encryptionKey, props.removalPolicy);
    this.smokeQueryFunction = new BundledFunction(this, 'SmokeQuery', {
      bundle: 'restore-drill/smoke-query',
      functionName: names.smoke.function,
      description: `Runs the restore drill smoke query over TLS against restored Aurora copies (${suffix})`,
      role: smokeRole,
      timeout: Duration.seconds(60),
      memorySize: 256,
      reservedConcurrentExecutions: 2,
      logGroup: smokeLogs,
      environmentEncryption: this.encryptionKey,
      deadLetterQueue: smokeQueue,
      tracing: lambda.Tracing.DISABLED,
      vpc: props.vpc,
      vpcSubnets,
      securityGroups: [smokeSecurityGroup],
    });
    this.smokeQueryFunction.node.addDependency(smokePolicy);

    const validatorName = names.validator.function;
    const validatorRole = new ManagedPolicyRole(this, 'ValidatorRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Validates the ${suffix} DR restore drills: reads restored copies, adds and removes the Aurora drill instance`,
    });
    const arn = (service: string, resource: string) => `arn:${stack.partition}:${service}:${stack.region}:${stack.account}:${resource}`;
    const validatorPolicy = validatorRole.addStatements(
      new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [validatorLogs.logGroupArn, `${validatorLogs.logGroupArn}:log-stream:*`] }),
      new iam.PolicyStatement({ actions: ['kms:Decrypt', 'kms:GenerateDataKey'], resources: [this.encryptionKey.keyArn] }),
      // AWS Backup's restore-job actions define no resource type: "*" is the only form IAM accepts.
      new iam.PolicyStatement({ actions: ['backup:DescribeRestoreJob', 'backup:PutRestoreValidationResult'], resources: ['*'] }),
      new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [this.smokeQueryFunction.functionArn, arn('lambda', `function:${validatorName}`)] }),
    );

    const liveArns: string[] = [];
    const env: Record<string, string> = {};
    if (database) {
      this.resourceTypes.push(ProtectedResourceType.AURORA);
      liveArns.push(database.clusterArn);
      const subnetGroup = new rds.SubnetGroup(this, 'SubnetGroup', {
        vpc: props.vpc,
        vpcSubnets,
        description: `Restored Aurora copies of the ${suffix} DR drills`,
        subnetGroupName: names.subnetGroup,
        removalPolicy: RemovalPolicy.DESTROY,
      });
      this.subnetGroup = subnetGroup;
      this.addSelections('Aurora', 'aurora', database.clusterArn, validationHours, {
        dbsubnetgroupname: subnetGroup.subnetGroupName,
        vpcsecuritygroupids: stack.toJsonString([this.securityGroup.securityGroupId]),
        ...(databaseKey ? { kmskeyid: databaseKey.keyArn } : {}),
      });
      validatorRole.addStatements(
        // Reads: the instance lookup by cluster filter is authorized against db:*.
        new iam.PolicyStatement({ actions: ['rds:DescribeDBClusters'], resources: [arn('rds', 'cluster:*')] }),
        new iam.PolicyStatement({ actions: ['rds:DescribeDBInstances'], resources: [arn('rds', 'db:*')] }),
        // Changes: only restored copies. Restore testing names every restored
        // Aurora cluster `awsbackup-restore-test*` (its inferred dbClusterIdentifier,
        // which a selection cannot override), and the validator names its instance
        // `drill-` + that identifier, so no other cluster or instance matches.
        new iam.PolicyStatement({ actions: ['rds:ModifyDBCluster'], resources: [arn('rds', `cluster:${RESTORED_PREFIX}*`)] }),
        new iam.PolicyStatement({
          actions: ['rds:CreateDBInstance'],
          resources: [
            arn('rds', `db:${DRILL_INSTANCE_PREFIX}*`),
            arn('rds', `cluster:${RESTORED_PREFIX}*`),
            arn('rds', `subgrp:${subnetGroup.subnetGroupName}`),
            // The instance gets its engine's default parameter and option groups, whose
            // names follow the restored engine version: attaching one reads it, changes nothing.
            arn('rds', 'pg:*'),
            arn('rds', 'og:*'),
          ],
        }),
        new iam.PolicyStatement({ actions: ['rds:AddTagsToResource', 'rds:DeleteDBInstance'], resources: [arn('rds', `db:${DRILL_INSTANCE_PREFIX}*`)] }),
        // Belt and braces: even a live cluster named like a restored copy stays out of reach.
        new iam.PolicyStatement({
          effect: iam.Effect.DENY,
          actions: ['rds:ModifyDBCluster', 'rds:CreateDBInstance', 'rds:DeleteDBInstance', 'rds:AddTagsToResource'],
          resources: [database.clusterArn],
        }),
      );
      validatorRole.addStatements(...databaseKeyStatements(databaseKey));
    }
    if (table) {
      this.resourceTypes.push(ProtectedResourceType.DYNAMODB);
      liveArns.push(table.tableArn);
      this.addSelections('DynamoDB', 'dynamodb', table.tableArn, validationHours, tableKey
        ? { encryptiontype: 'KMS', kmsmasterkeyarn: tableKey.keyArn }
        : {});
      validatorRole.addStatements(...restoredTableStatements(arn('dynamodb', `table/${RESTORED_PREFIX}-*`), tableKey));
    }
    if (bucket) {
      this.resourceTypes.push(ProtectedResourceType.S3);
      liveArns.push(bucket.bucketArn);
      this.addSelections('S3', 's3', bucket.bucketArn, validationHours, bucketKey
        // Override values are case-sensitive and hyphenated as AWS Backup's
        // restore testing inferred metadata shows them (`SSE-S3`); an
        // underscore is not a value AWS documents for S3 restores.
        // https://docs.aws.amazon.com/aws-backup/latest/devguide/restore-testing-inferred-metadata.html
        ? { encryptiontype: 'SSE-KMS', kmskey: bucketKey.keyArn }
        : {});
      validatorRole.addStatements(...restoredBucketStatements(`arn:${stack.partition}:s3:::${RESTORED_PREFIX}-*`, bucketKey));
      if (props.bucketProbeKey) env.S3_PROBE_KEY = props.bucketProbeKey;
    }

    const validatorQueue = drillDeadLetterQueue(this, 'ValidatorDeadLetterQueue', names.validator.deadLetterQueue, this.encryptionKey, props.removalPolicy);
    this.validator = new BundledFunction(this, 'Validator', {
      bundle: 'restore-drill/validate-restore',
      functionName: validatorName,
      description: `Validates the ${suffix} DR restore drills and publishes the measured RTO`,
      role: validatorRole,
      timeout: Duration.minutes(15),
      memorySize: 256,
      reservedConcurrentExecutions: 5,
      logGroup: validatorLogs,
      environmentEncryption: this.encryptionKey,
      deadLetterQueue: validatorQueue,
      tracing: lambda.Tracing.DISABLED,
      environment: {
        ...env,
        ENVIRONMENT: suffix,
        RESTORE_TESTING_PLAN_ARNS: this.restoreTestingPlanArns.join(','),
        SMOKE_QUERY_FUNCTION: this.smokeQueryFunction.functionName,
        VALIDATION_WINDOW_HOURS: String(validationHours),
        DRILL_INSTANCE_CLASS: `db.${(props.drillInstanceType ?? ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.MEDIUM)).toString()}`,
        LIVE_RESOURCE_ARNS: liveArns.join(','),
      },
    });
    this.validator.node.addDependency(validatorPolicy);
    // The validator hands a long Aurora drill to a fresh invocation; one drill at a time per event is enough.
    this.validator.configureAsyncInvoke({ retryAttempts: 1, maxEventAge: Duration.hours(6) });
    this.rule = new events.Rule(this, 'RestoreCompletedRule', {
      ruleName: names.restoreCompletedRule,
      description: `Validates the ${suffix} DR restore drills when their restore jobs finish`,
      // Only restores run with this drill's own role, which only its selections use. The restore job event names no
      // plan nor vault: its detail carries restoreJobId, status, resourceType, iamRoleArn, createdResourceArn and dates
      // (https://docs.aws.amazon.com/aws-backup/latest/devguide/eventbridge.html). The validator still ignores a job
      // from another plan (CreatedBy.RestoreTestingPlanArn), should the role be reused.
      eventPattern: {
        source: ['aws.backup'],
        detailType: ['Restore Job State Change'],
        detail: { status: ['COMPLETED', 'FAILED', 'ABORTED'], iamRoleArn: [this.restoreRole.roleArn] },
      },
      targets: [new targets.LambdaFunction(this.validator, { retryAttempts: 2 })],
    });

    const why = (finding: string) => `Restore drill: ${finding}`;
    acknowledgeFinding(this.validator, 'LambdaInsideVPC', COMPLIANCE_PACKS,
      why('the validator calls only AWS APIs (Backup, RDS, DynamoDB, S3, Lambda); what must run in the VPC, the smoke query, is a separate function there.'));
    const logStreamAck = (policy: iam.ManagedPolicy, logGroup: logs.ILogGroup) => acknowledgeFinding(policy,
      `IAM5[Resource::<${stack.getLogicalId(logGroup.node.defaultChild as logs.CfnLogGroup)}.Arn>:log-stream:*]`, ['AwsSolutions'],
      why('Lambda names its log streams at run time, inside this one log group.'));
    logStreamAck(smokePolicy, smokeLogs);
    logStreamAck(validatorPolicy, validatorLogs);
    acknowledgeFinding(smokePolicy, 'IAM5[Resource::*]', ['AwsSolutions'], why('EC2 network-interface actions Lambda needs in a VPC have no resource-level permissions.'));
    acknowledgeFinding(validatorPolicy, 'IAM5[Resource::*]', ['AwsSolutions'], why('backup:DescribeRestoreJob and PutRestoreValidationResult have no resource-level permissions.'));
    const region = Token.isUnresolved(stack.region) ? '<AWS::Region>' : stack.region;
    const account = Token.isUnresolved(stack.account) ? '<AWS::AccountId>' : stack.account;
    for (const pattern of ['rds:REGION:ACCOUNT:cluster:*', 'rds:REGION:ACCOUNT:db:*', `rds:REGION:ACCOUNT:cluster:${RESTORED_PREFIX}*`,
      `rds:REGION:ACCOUNT:db:${DRILL_INSTANCE_PREFIX}*`, 'rds:REGION:ACCOUNT:pg:*', 'rds:REGION:ACCOUNT:og:*', 'dynamodb:REGION:ACCOUNT:table/awsbackup-restore-test-*', 's3:::awsbackup-restore-test-*',
      's3:::awsbackup-restore-test-*/*']) {
      acknowledgeFinding(validatorPolicy, `IAM5[Resource::arn:<AWS::Partition>:${pattern.replace('REGION', region).replace('ACCOUNT', account)}]`, ['AwsSolutions'],
        why('restored copies are named by AWS Backup at run time; patterns are scoped to this account and region, and every change to the live resources is explicitly denied.'));
    }
  }

  /** The measured RTO of a resource type's drills, in seconds (maximum over the period). */
  public metricMeasuredRto(resourceType: ProtectedResourceType, props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return this.metric(METRIC_MEASURED_RTO, resourceType, cloudwatch.Stats.MAXIMUM, props);
  }

  /** Failed or timed-out drills of a resource type (sum over the period). */
  public metricDrillFailed(resourceType: ProtectedResourceType, props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return this.metric(METRIC_DRILL_FAILED, resourceType, cloudwatch.Stats.SUM, props);
  }

  /** Validated drills of a resource type (sum over the period). */
  public metricDrillSucceeded(resourceType: ProtectedResourceType, props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return this.metric(METRIC_DRILL_SUCCEEDED, resourceType, cloudwatch.Stats.SUM, props);
  }

  private metric(metricName: string, resourceType: string, statistic: string, props: cloudwatch.MetricOptions): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: RECOVERY_NAMESPACE,
      metricName,
      dimensionsMap: { service: DRILL_SERVICE, [DIMENSION_ENVIRONMENT]: this.environmentSuffix, [DIMENSION_RESOURCE_TYPE]: resourceType },
      statistic,
      period: Duration.hours(1),
      ...props,
    });
  }

  /** The resource's selections: the snapshot plan, and the continuous plan for Aurora and S3. */
  private addSelections(type: string, name: string, resourceArn: string, validationHours: number, overrides: Record<string, string>): void {
    // A copy keeps its source's ARN, of another region: every protected resource of the type in the (copy) vault.
    const selected = this.copies ? '*' : resourceArn;
    const selection = { type, name, resourceArn: selected, validationHours, overrides, restoreRole: this.restoreRole };
    this.selections.push(...drillSelections(this, this.plan, this.continuousPlan, selection));
  }
}
