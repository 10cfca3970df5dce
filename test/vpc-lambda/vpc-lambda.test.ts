import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { DataAccess, EncryptedAurora, HandlerRuntime, PitrTable, VersionedBucket, VpcLambda, VpcLambdaProps } from '../../src';
import { acknowledgeNotInBackupPlan, complianceTest, isolatedVpc, missingEndpoints, nagFindings, synth, testApp, testStack } from '../util';

/** The newest Node.js runtime this aws-cdk-lib declares: cdk-nag's AwsSolutions-L1 flags any other. */
const NEWEST_NODE = HandlerRuntime.newestNodejs(testApp());

const code = lambda.Code.fromInline('exports.handler = async () => ({ statusCode: 200 })');

function make(props: Partial<VpcLambdaProps> = {}, stack: Stack = testStack()) {
  const vpc = (props.vpc as ec2.Vpc) ?? isolatedVpc(stack);
  const fn = new VpcLambda(stack, 'Processor', {
    environmentSuffix: 'dev', vpc, code, handler: 'index.handler', runtime: NEWEST_NODE, ...props,
  });
  return { stack, vpc, fn, get template() { return Template.fromStack(stack); } };
}

function wired(stack: Stack = testStack()) {
  const f = make({}, stack);
  const db = new EncryptedAurora(stack, 'Db', { environmentSuffix: 'dev', vpc: f.vpc });
  const table = new PitrTable(stack, 'Table', { environmentSuffix: 'dev' });
  const bucket = new VersionedBucket(stack, 'Bucket', { environmentSuffix: 'dev' });
  f.fn.connectDatabase(db);
  f.fn.grantTable(table, DataAccess.READ_WRITE);
  f.fn.grantBucket(bucket, DataAccess.WRITE);
  return { ...f, db, table, bucket };
}

const policyOf = (template: Template) => Object.values<any>(template.findResources('AWS::IAM::ManagedPolicy', {
  Properties: { Description: Match.stringLikeRegexp('dr-processor-dev') },
}))[0].Properties.PolicyDocument.Statement;

describe('defaults', () => {
  test('in the isolated subnets, with its own security group, named with the suffix, traced, 30 s, 512 MiB, 10 reserved', () => {
    const { template, stack, vpc } = make();
    template.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'dr-processor-dev',
      Runtime: NEWEST_NODE.name,
      Timeout: 30,
      MemorySize: 512,
      ReservedConcurrentExecutions: 10,
      TracingConfig: { Mode: 'Active' },
      VpcConfig: {
        SubnetIds: vpc.isolatedSubnets.map((s) => stack.resolve(s.subnetId)),
        SecurityGroupIds: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^ProcessorSecurityGroup'), 'GroupId'] }],
      },
      KmsKeyArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ProcessorEncryptionKey'), 'Arn'] },
      DeadLetterConfig: { TargetArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ProcessorDeadLetterQueue'), 'Arn'] } },
      LoggingConfig: { LogGroup: { Ref: Match.stringLikeRegexp('^ProcessorLogGroup') } },
    });
  });

  test('an encrypted log group with a year of retention, and an encrypted TLS-only dead-letter queue', () => {
    const { template } = make();
    template.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: '/aws/lambda/dr-processor-dev', RetentionInDays: 365, KmsKeyId: Match.anyValue() });
    template.hasResource('AWS::Logs::LogGroup', { DeletionPolicy: 'Retain' });
    template.hasResourceProperties('AWS::SQS::Queue', { QueueName: 'dr-processor-dlq-dev', KmsMasterKeyId: Match.anyValue() });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: { Statement: [Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })] },
    });
  });

  test('least privilege: one customer-managed policy, no inline or AWS-managed policy, no wildcard actions', () => {
    const { template } = wired();
    const role = Object.values<any>(template.findResources('AWS::IAM::Role', { Properties: { Description: Match.stringLikeRegexp('dr-processor-dev') } }))[0];
    expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    expect(role.Properties.Policies).toBeUndefined();
    template.resourceCountIs('AWS::IAM::Policy', 0);
    const actions = policyOf(template).flatMap((s: any) => [s.Action].flat());
    expect(actions.filter((a: string) => a === '*' || a.endsWith(':*') || a.includes('*'))).toEqual([]);
  });

  test('the role can decrypt its environment and send to its encrypted dead-letter queue', () => {
    const { template, stack, fn } = make();
    const keyArn = { 'Fn::GetAtt': [stack.getLogicalId(fn.encryptionKey.node.defaultChild as kms.CfnKey), 'Arn'] };
    expect(policyOf(template)).toContainEqual({ Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Effect: 'Allow', Resource: keyArn });
    expect(policyOf(template)).toContainEqual(expect.objectContaining({
      Action: 'sqs:SendMessage', Resource: { 'Fn::GetAtt': [expect.stringMatching(/^ProcessorDeadLetterQueue/), 'Arn'] },
    }));
  });

  test('resource "*" only for the EC2 network-interface and X-Ray actions, whose APIs require it', () => {
    const { template } = wired();
    const star = policyOf(template).filter((s: any) => s.Resource === '*').flatMap((s: any) => [s.Action].flat()).sort();
    expect(star).toEqual([
      'ec2:AssignPrivateIpAddresses', 'ec2:CreateNetworkInterface', 'ec2:DeleteNetworkInterface', 'ec2:DescribeNetworkInterfaces',
      'ec2:UnassignPrivateIpAddresses', 'xray:PutTelemetryRecords', 'xray:PutTraceSegments',
    ]);
  });

  test('the security group sends nothing until wired', () => {
    const { template } = make({ tracing: lambda.Tracing.DISABLED });
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: Match.stringLikeRegexp('dr-processor-dev'),
      SecurityGroupEgress: [Match.objectLike({ CidrIp: '255.255.255.255/32' })],
    });
  });
});

describe('wiring', () => {
  test('connectDatabase opens the database port to the function only, and sets DB_* variables', () => {
    const { template, stack, fn, db } = wired();
    const fnSg = { 'Fn::GetAtt': [stack.getLogicalId(fn.securityGroup.node.defaultChild as ec2.CfnSecurityGroup), 'GroupId'] };
    const dbSg = { 'Fn::GetAtt': [stack.getLogicalId(db.securityGroup.node.defaultChild as ec2.CfnSecurityGroup), 'GroupId'] };
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', { GroupId: dbSg, SourceSecurityGroupId: fnSg, FromPort: 5432, ToPort: 5432, IpProtocol: 'tcp' });
    template.hasResourceProperties('AWS::EC2::SecurityGroupEgress', { GroupId: fnSg, DestinationSecurityGroupId: dbSg, FromPort: 5432, ToPort: 5432 });
    const env = Object.values<any>(template.findResources('AWS::Lambda::Function'))[0].Properties.Environment.Variables;
    expect(env).toMatchObject({
      DB_HOST: { 'Fn::GetAtt': [expect.stringMatching(/^DbCluster/), 'Endpoint.Address'] },
      DB_READER_HOST: { 'Fn::GetAtt': [expect.stringMatching(/^DbCluster/), 'ReadEndpoint.Address'] },
      DB_PORT: '5432',
      DB_NAME: 'app',
      DB_SECRET_ARN: { 'Fn::GetAtt': [expect.stringMatching(/^DbCluster/), 'MasterUserSecret.SecretArn'] },
      TABLE_NAME: { Ref: expect.stringMatching(/^Table/) },
      BUCKET_NAME: { Ref: expect.stringMatching(/^Bucket/) },
    });
    expect(policyOf(template)).toContainEqual(expect.objectContaining({ Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'] }));
  });

  test.each([
    [DataAccess.READ, ['dynamodb:GetItem'], ['dynamodb:PutItem']],
    [DataAccess.WRITE, ['dynamodb:PutItem'], ['dynamodb:GetItem']],
    [DataAccess.READ_WRITE, ['dynamodb:GetItem', 'dynamodb:PutItem'], []],
  ])('grantTable(%s) grants exactly that', (access, granted, notGranted) => {
    const { stack, fn } = make();
    fn.grantTable(new PitrTable(stack, 'T', { environmentSuffix: 'dev' }), access, 'LEDGER_TABLE');
    const template = Template.fromStack(stack);
    const actions = policyOf(template).flatMap((s: any) => [s.Action].flat());
    expect(actions).toEqual(expect.arrayContaining(granted));
    for (const a of notGranted) expect(actions).not.toContain(a);
    expect(Object.values<any>(template.findResources('AWS::Lambda::Function'))[0].Properties.Environment.Variables.LEDGER_TABLE).toBeDefined();
  });

  test.each([
    [DataAccess.READ, 's3:GetObject', 's3:PutObject'],
    [DataAccess.WRITE, 's3:PutObject', 's3:GetObject'],
  ])('grantBucket(%s) grants exactly that', (access, granted, notGranted) => {
    const { stack, fn } = make();
    fn.grantBucket(new VersionedBucket(stack, 'B', { environmentSuffix: 'dev' }), access);
    const actions = policyOf(Template.fromStack(stack)).flatMap((s: any) => [s.Action].flat());
    expect(actions).toContain(granted);
    expect(actions).not.toContain(notGranted);
  });
});

describe('reachable without NAT', () => {
  test('every service the role allows has an endpoint in the VPC (gateway for S3 and DynamoDB, interface otherwise)', () => {
    const { template } = wired();
    expect(missingEndpoints(template.toJSON() as any)).toEqual([]);
    template.resourceCountIs('AWS::EC2::NatGateway', 0);
    const services = Object.values<any>(template.findResources('AWS::EC2::VPCEndpoint')).map((e) => `${e.Properties.VpcEndpointType}:${e.Properties.ServiceName['Fn::Join'][1][2]}`).sort();
    expect(services).toEqual(['Gateway:.dynamodb', 'Gateway:.s3', 'Interface:.secretsmanager', 'Interface:.xray']);
  });

  test('the check fails when an endpoint is missing', () => {
    const { template } = wired();
    const json = template.toJSON() as any;
    for (const [id, r] of Object.entries<any>(json.Resources)) {
      if (r.Type === 'AWS::EC2::VPCEndpoint' && JSON.stringify(r.Properties.ServiceName).includes('secretsmanager')) delete json.Resources[id];
    }
    expect(missingEndpoints(json)).toEqual([expect.stringMatching(/calls secretsmanager with no usable endpoint/)]);
  });

  test('two functions share one endpoint per service, admitting both', () => {
    const stack = testStack();
    const { vpc, fn } = make({}, stack);
    const other = new VpcLambda(stack, 'Other', { environmentSuffix: 'dev', vpc, code, handler: 'index.handler', runtime: lambda.Runtime.PYTHON_3_12 });
    const db = new EncryptedAurora(stack, 'Db', { environmentSuffix: 'dev', vpc });
    fn.connectDatabase(db);
    other.connectDatabase(db);
    const template = Template.fromStack(stack);
    expect(Object.keys(template.findResources('AWS::EC2::VPCEndpoint', { Properties: { VpcEndpointType: 'Interface' } }))).toHaveLength(2);
    expect(missingEndpoints(template.toJSON() as any)).toEqual([]);
  });

  test('an existing gateway endpoint is reused, not duplicated', () => {
    const stack = testStack();
    const vpc = isolatedVpc(stack);
    vpc.addGatewayEndpoint('MyS3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
    const { fn } = make({ vpc }, stack);
    fn.grantBucket(new VersionedBucket(stack, 'B', { environmentSuffix: 'dev' }));
    Template.fromStack(stack).resourceCountIs('AWS::EC2::VPCEndpoint', 2); // the user's S3 gateway + X-Ray
  });

  test('an imported VPC gets interface endpoints and a warning about its gateway endpoints', () => {
    const stack = testStack();
    const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Imported', { vpcId: 'vpc-1', availabilityZones: ['a', 'b'], isolatedSubnetIds: ['s-1', 's-2'] });
    const { fn } = make({ vpc }, stack);
    fn.grantTable(new PitrTable(stack, 'T', { environmentSuffix: 'dev' }));
    Annotations.fromStack(stack).hasWarning('*', Match.stringLikeRegexp('needs a dynamodb gateway endpoint'));
  });

  test('createVpcEndpoints: false leaves the VPC alone', () => {
    const { template } = make({ createVpcEndpoints: false });
    template.resourceCountIs('AWS::EC2::VPCEndpoint', 0);
  });
});

describe('overrides and bring your own', () => {
  test('sizes, tracing, environment, Python', () => {
    const { template } = make({
      runtime: lambda.Runtime.PYTHON_3_12,
      handler: 'app.handler',
      timeout: Duration.minutes(2),
      memorySize: 1024,
      reservedConcurrentExecutions: 50,
      tracing: lambda.Tracing.PASS_THROUGH,
      environment: { MODE: 'batch' },
      name: 'batch-job',
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'dr-batch-job-dev',
      Runtime: 'python3.12',
      Timeout: 120,
      MemorySize: 1024,
      ReservedConcurrentExecutions: 50,
      Environment: { Variables: { MODE: 'batch' } },
    });
  });

  test('bring your own key', () => {
    const stack = testStack();
    const key = new kms.Key(stack, 'K');
    const { template } = make({ encryptionKey: key }, stack);
    template.resourceCountIs('AWS::KMS::Key', 1);
    template.hasResourceProperties('AWS::Lambda::Function', { KmsKeyArn: { 'Fn::GetAtt': [stack.getLogicalId(key.node.defaultChild as kms.CfnKey), 'Arn'] } });
  });

  test('DESTROY deletes the logs, queue and key', () => {
    const { template } = make({ removalPolicy: RemovalPolicy.DESTROY });
    template.hasResource('AWS::Logs::LogGroup', { DeletionPolicy: 'Delete' });
    template.hasResource('AWS::SQS::Queue', { DeletionPolicy: 'Delete' });
    template.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Delete' });
  });
});

describe('compliance', () => {
  test('wired to all three stores: zero unacknowledged findings on the function', () => {
    const stack = testStack();
    const { fn } = wired(stack);
    acknowledgeNotInBackupPlan(stack);
    expect(nagFindings(stack, fn)).toEqual([]);
  });

  complianceTest('wired to all three stores: strict schema validation', () => {
    const stack = testStack({ validate: true });
    wired(stack);
    expect(() => synth(stack)).not.toThrow();
  });
});

describe('validation', () => {
  test.each([
    ['nodejs18.x', lambda.Runtime.NODEJS_18_X],
    ['python3.10', lambda.Runtime.PYTHON_3_10],
    ['java21', lambda.Runtime.JAVA_21],
  ])('rejects the %s runtime', (name, runtime) => {
    expect(() => make({ runtime })).toThrow(new RegExp(`\`runtime\` must be Node.js 20 or newer .* or Python 3.11 or newer .*got: "${name.replace('.', '\\.')}"`));
  });

  test.each([lambda.Runtime.NODEJS_20_X, lambda.Runtime.NODEJS_22_X, lambda.Runtime.PYTHON_3_11, lambda.Runtime.PYTHON_3_13])('accepts %s', (runtime) => {
    expect(() => make({ runtime })).not.toThrow();
  });

  test.each([
    ['a 16-minute timeout', { timeout: Duration.minutes(16) }, /`timeout` must be a whole number of seconds from 1 to 900 \(Lambda's limit\), got: 16 minutes/],
    ['64 MiB', { memorySize: 64 }, /`memorySize` must be a whole number from 128 to 10240, got: 64/],
    ['0 reserved', { reservedConcurrentExecutions: 0 }, /`reservedConcurrentExecutions` must be a whole number from 1 to 1000, got: 0/],
    ['a bad name', { name: 'Bad_Name' }, /`name` must match .*got: "Bad_Name"/],
    ['a name too long for 64 characters', { name: 'x'.repeat(60) }, /`environmentSuffix` must be at most .*Lambda function name/],
  ] as const)('rejects %s', (_label, props, message) => {
    expect(() => make(props as Partial<VpcLambdaProps>)).toThrow(message);
  });

  test('rejects an environment variable name AWS reserves', () => {
    const { stack, fn } = make();
    expect(() => fn.grantTable(new PitrTable(stack, 'T', { environmentSuffix: 'dev' }), DataAccess.READ, 'AWS_REGION'))
      .toThrow(/`environmentVariable` must be a variable name not starting with AWS_, got: "AWS_REGION"/);
  });
});

describe('bring your own stores', () => {
  const actionsOf = (template: Template) => policyOf(template).flatMap((s: any) => [s.Action].flat());

  test.each([
    ['an imported table', (st: Stack) => dynamodb.Table.fromTableName(st, 'T', 'orders')],
    ['a Table', (st: Stack) => new dynamodb.Table(st, 'T', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } })],
    ['a TableV2', (st: Stack) => new dynamodb.TableV2(st, 'T', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } })],
  ])('connectTable with %s: grants, TABLE_NAME, the DynamoDB gateway, and no wildcard action', (_label, makeTable) => {
    const { stack, fn } = make();
    fn.connectTable(makeTable(stack), { access: DataAccess.READ });
    const template = Template.fromStack(stack);
    const actions = actionsOf(template);
    expect(actions).toContain('dynamodb:GetItem');
    expect(actions).not.toContain('dynamodb:PutItem');
    for (const a of actions) expect(a).not.toMatch(/\*/);
    expect(Object.keys(Object.values<any>(template.findResources('AWS::Lambda::Function'))[0].Properties.Environment.Variables)).toContain('TABLE_NAME');
    expect(missingEndpoints(template.toJSON() as any)).toEqual([]);
  });

  test.each([
    ['an imported bucket', (st: Stack) => s3.Bucket.fromBucketName(st, 'B', 'legacy-data')],
    ['an s3.Bucket', (st: Stack) => new s3.Bucket(st, 'B', { versioned: true })],
  ])('connectBucket with %s: named actions only, BUCKET_NAME, the S3 gateway', (_label, makeBucket) => {
    for (const access of [DataAccess.READ, DataAccess.WRITE, DataAccess.READ_WRITE]) {
      const { stack, fn } = make();
      fn.connectBucket(makeBucket(stack), { access, environmentVariable: 'RECEIPTS' });
      const template = Template.fromStack(stack);
      const actions = actionsOf(template);
      for (const a of actions) expect(a).not.toMatch(/\*/);
      expect(actions.includes('s3:GetObject')).toBe(access !== DataAccess.WRITE);
      expect(actions.includes('s3:PutObject')).toBe(access !== DataAccess.READ);
      expect(Object.keys(Object.values<any>(template.findResources('AWS::Lambda::Function'))[0].Properties.Environment.Variables)).toContain('RECEIPTS');
      expect(missingEndpoints(template.toJSON() as any)).toEqual([]);
    }
  });

  test('an imported bucket\'s key, given explicitly, is granted', () => {
    const { stack, fn } = make();
    const key = kms.Key.fromKeyArn(stack, 'K', 'arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555');
    fn.connectBucket(s3.Bucket.fromBucketName(stack, 'B', 'legacy-data'), { access: DataAccess.READ, encryptionKey: key });
    expect(policyOf(Template.fromStack(stack))).toContainEqual(expect.objectContaining({ Action: 'kms:Decrypt', Resource: key.keyArn }));
  });

  test('connectCluster with an imported cluster and its secret: ingress on its security group, secret read, Secrets Manager endpoint', () => {
    const { stack, fn, vpc } = make();
    const sg = new ec2.SecurityGroup(stack, 'DbSg', { vpc });
    const cluster = rds.DatabaseCluster.fromDatabaseClusterAttributes(stack, 'Db', {
      clusterIdentifier: 'legacy',
      clusterEndpointAddress: 'legacy.cluster-x.eu-west-1.rds.amazonaws.com',
      readerEndpointAddress: 'legacy.cluster-ro-x.eu-west-1.rds.amazonaws.com',
      port: 5432,
      securityGroups: [sg],
    });
    const secret = secretsmanager.Secret.fromSecretNameV2(stack, 'S', 'legacy-credentials');
    fn.connectCluster(cluster, { secret, databaseName: 'orders' });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', { GroupId: stack.resolve(sg.securityGroupId), FromPort: 5432, ToPort: 5432 });
    const env = Object.values<any>(template.findResources('AWS::Lambda::Function'))[0].Properties.Environment.Variables;
    expect(env).toMatchObject({ DB_HOST: 'legacy.cluster-x.eu-west-1.rds.amazonaws.com', DB_READER_HOST: 'legacy.cluster-ro-x.eu-west-1.rds.amazonaws.com', DB_PORT: '5432', DB_NAME: 'orders' });
    expect(actionsOf(template)).toContain('secretsmanager:GetSecretValue');
    expect(missingEndpoints(template.toJSON() as any)).toEqual([]);
  });

  test('connectCluster with IAM authentication: rds-db:connect for the user, DB_USER, no secret', () => {
    const { stack, fn, vpc } = make();
    const cluster = rds.DatabaseCluster.fromDatabaseClusterAttributes(stack, 'Db', {
      clusterIdentifier: 'legacy',
      clusterResourceIdentifier: 'cluster-ABC',
      clusterEndpointAddress: 'legacy.example',
      port: 5432,
      securityGroups: [new ec2.SecurityGroup(stack, 'DbSg', { vpc })],
    });
    fn.connectCluster(cluster, { iamAuthenticationUser: 'app' });
    const template = Template.fromStack(stack);
    expect(actionsOf(template)).toContain('rds-db:connect');
    expect(actionsOf(template)).not.toContain('secretsmanager:GetSecretValue');
    const env = Object.values<any>(template.findResources('AWS::Lambda::Function'))[0].Properties.Environment.Variables;
    expect(env).toMatchObject({ DB_USER: 'app', DB_IAM_AUTH: 'true', DB_HOST: 'legacy.example' });
    expect(env.DB_SECRET_ARN).toBeUndefined();
    // Imported without a reader endpoint: no reader host is made up.
    expect(env.DB_READER_HOST).toBeUndefined();
  });

  test.each([
    ['neither a secret nor an IAM user', {}, /exactly one of `secret` and `iamAuthenticationUser` must be given .*got: neither/],
    ['both', { iamAuthenticationUser: 'app', secret: 'secret' }, /got: both/],
  ])('connectCluster with %s is refused', (_label, options, message) => {
    const { stack, fn, vpc } = make();
    const cluster = rds.DatabaseCluster.fromDatabaseClusterAttributes(stack, 'Db', {
      clusterIdentifier: 'legacy', port: 5432, securityGroups: [new ec2.SecurityGroup(stack, 'DbSg', { vpc })],
    });
    const opts: any = { ...options };
    if (opts.secret) opts.secret = secretsmanager.Secret.fromSecretNameV2(stack, 'S', 'x');
    expect(() => fn.connectCluster(cluster, opts)).toThrow(message);
  });

  test('a cluster imported without an endpoint address is refused, naming what to import it with', () => {
    const { stack, fn, vpc } = make();
    const cluster = rds.DatabaseCluster.fromDatabaseClusterAttributes(stack, 'Db', {
      clusterIdentifier: 'legacy', securityGroups: [new ec2.SecurityGroup(stack, 'DbSg', { vpc })],
    });
    expect(() => fn.connectCluster(cluster, { iamAuthenticationUser: 'app' })).toThrow(/has no endpoint .*import it with `clusterEndpointAddress` and `port`/);
  });

  test('IAM authentication to a cluster imported without its resource id is refused, naming what to import it with', () => {
    const { stack, fn, vpc } = make();
    const cluster = rds.DatabaseCluster.fromDatabaseClusterAttributes(stack, 'Db', {
      clusterIdentifier: 'legacy', clusterEndpointAddress: 'legacy.example', port: 5432, securityGroups: [new ec2.SecurityGroup(stack, 'DbSg', { vpc })],
    });
    expect(() => fn.connectCluster(cluster, { iamAuthenticationUser: 'app' }))
      .toThrow(/`iamAuthenticationUser` needs the cluster's resource id .*import it with `clusterResourceIdentifier`/);
    // The same cluster with a secret needs no resource id.
    expect(() => fn.connectCluster(cluster, { secret: secretsmanager.Secret.fromSecretNameV2(stack, 'S', 'x') })).not.toThrow();
  });

  test('a cluster imported without a security group is refused: nothing could admit the function', () => {
    const { stack, fn } = make();
    const cluster = rds.DatabaseCluster.fromDatabaseClusterAttributes(stack, 'Db', { clusterIdentifier: 'legacy', port: 5432 });
    expect(() => fn.connectCluster(cluster, { iamAuthenticationUser: 'app' })).toThrow(/has no security group to admit dr-processor-dev/);
  });
});
