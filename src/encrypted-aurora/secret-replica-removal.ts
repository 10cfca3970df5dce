import { CustomResource, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { BundledFunction } from '../private/bundled-function';
import { createEncryptedLogGroup } from '../private/log-group';
import { ManagedPolicyRole } from '../private/managed-role';
import { acknowledgeFinding, COMPLIANCE_PACKS } from '../private/nag';

/** What the replica removal needs to know. */
export interface SecretReplicaRemovalProps {
  /** The replicated secret, deleted with its stack. */
  readonly secret: secretsmanager.ISecret;
  /** The secret's name as written, for descriptions. */
  readonly secretName: string;
  /** The name of the handler's log group. */
  readonly logGroupName: string;
  /** Encrypts the handler's log group. */
  readonly encryptionKey: kms.IKey;
}

/**
 * A custom resource that removes a secret's replicas when the stack is
 * deleted, before the secret is: Secrets Manager refuses to delete a secret
 * that still has replicas, so a replicated secret with DESTROY would stop
 * the stack's deletion. It refers to the secret, so CloudFormation deletes
 * it first. Its handler is remove-secret-replicas.lambda.ts beside this file.
 * Made only with DESTROY: a retained secret keeps its replicas.
 */
export class SecretReplicaRemoval extends Construct {
  /** The handler. */
  public readonly function: lambda.Function;
  /** The custom resource. */
  public readonly resource: CustomResource;

  constructor(scope: Construct, id: string, props: SecretReplicaRemovalProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const role = new ManagedPolicyRole(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Removes the replicas of the secret ${props.secretName} on stack delete`,
    });
    const logGroup = createEncryptedLogGroup(this, 'Logs', {
      logGroupName: props.logGroupName,
      retention: logs.RetentionDays.ONE_WEEK,
      encryptionKey: props.encryptionKey,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const policy = role.addStatements(
      // The one secret (its ARN carries the random tail Secrets Manager adds). Both
      // actions need only their own permission on the primary secret:
      // https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_RemoveRegionsFromReplication.html
      new iam.PolicyStatement({
        actions: ['secretsmanager:DescribeSecret', 'secretsmanager:RemoveRegionsFromReplication'],
        resources: [props.secret.secretArn],
      }),
      new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup.logGroupArn, `${logGroup.logGroupArn}:log-stream:*`] }),
    );
    this.function = new BundledFunction(this, 'Handler', {
      bundle: 'encrypted-aurora/remove-secret-replicas',
      description: `Removes the replicas of the secret ${props.secretName} on stack delete so it can be deleted`,
      role,
      timeout: Duration.minutes(5),
      memorySize: 256,
      logGroup,
      reservedConcurrentExecutions: 1,
    });
    this.function.node.addDependency(role, policy);
    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: this.function.functionArn,
      resourceType: 'Custom::DrSecretReplicaRemoval',
      // The reference orders the deletion: this resource, then the secret.
      properties: { SecretArn: props.secret.secretArn },
    });

    const why = (finding: string) => `Secret replica removal, created only with removalPolicy DESTROY and invoked only by CloudFormation on stack delete: ${finding}`;
    acknowledgeFinding(this.function, 'LambdaDLQ', ['NIST.800.53.R5', 'HIPAA.Security'], why('it is invoked synchronously by CloudFormation, which receives its failure; a queue would hold nothing useful.'));
    acknowledgeFinding(this.function, 'LambdaInsideVPC', COMPLIANCE_PACKS, why('it only calls the Secrets Manager API; inside an isolated VPC it would need a Secrets Manager endpoint.'));
    acknowledgeFinding(policy, `IAM5[Resource::<${stack.getLogicalId(logGroup.node.defaultChild as logs.CfnLogGroup)}.Arn>:log-stream:*]`, ['AwsSolutions'],
      why('Lambda names its log streams at run time, inside this one log group.'));
  }
}
