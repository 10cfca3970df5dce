import { Duration, Lazy, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { EventForwarding, EventForwardingProps } from '../../src';
import { attempt, DurationInput, durationInputs, TOKEN_REF } from '../sweeps/harness';
import { complianceTest, nagFindings, synth, testApp, testStack, TestStackOptions } from '../util';

const ENV = { account: '111111111111', region: 'us-east-1' };

function make(props: Partial<EventForwardingProps> = {}, stack: Stack = testStack({ env: ENV })) {
  const alarmTopic = props.alarmTopic ?? new sns.Topic(stack, 'Topic');
  const forwarding = new EventForwarding(stack, 'Events', { environmentSuffix: 'dev', targetRegion: 'us-west-2', ...props, alarmTopic });
  return { stack, forwarding, alarmTopic, get template() { return Template.fromStack(stack); } };
}

const idOf = (stack: Stack, construct: { node: { defaultChild?: any } }) => stack.getLogicalId(construct.node.defaultChild);

describe('defaults', () => {
  test('a bus named dr-events-{suffix} and a rule on it matching only events put in this region', () => {
    const { template, stack, forwarding } = make();
    template.hasResourceProperties('AWS::Events::EventBus', { Name: 'dr-events-dev' });
    template.hasResourceProperties('AWS::Events::Rule', {
      Name: 'dr-events-forward-dev',
      EventBusName: { Ref: idOf(stack, forwarding.eventBus) },
      EventPattern: { region: ['us-east-1'] },
      State: 'ENABLED',
    });
  });

  test('the target is the same-named bus in the target region, by computed ARN, with the role and the DLQ', () => {
    const { template, stack, forwarding } = make();
    template.hasResourceProperties('AWS::Events::Rule', {
      Targets: [{
        Arn: 'arn:aws:events:us-west-2:111111111111:event-bus/dr-events-dev',
        RoleArn: { 'Fn::GetAtt': [idOf(stack, forwarding.role), 'Arn'] },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [idOf(stack, forwarding.deadLetterQueue), 'Arn'] } },
        // Event-bus targets take no retry policy: EventBridge's fixed one applies.
        RetryPolicy: Match.absent(),
      }],
    });
    expect(forwarding.targetEventBusArn).toBe('arn:aws:events:us-west-2:111111111111:event-bus/dr-events-dev');
    expect(forwarding.targetRegion).toBe('us-west-2');
  });

  test('the role may only put events on that one bus, and only EventBridge acting for this account assumes it', () => {
    const { template, stack, forwarding } = make();
    const roleId = idOf(stack, forwarding.role);
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [{
          Effect: 'Allow',
          Action: 'sts:AssumeRole',
          Principal: { Service: 'events.amazonaws.com' },
          Condition: { StringEquals: { 'aws:SourceAccount': '111111111111' } },
        }],
      },
      ManagedPolicyArns: Match.absent(),
    });
    template.resourceCountIs('AWS::IAM::Policy', 0);
    const policies = Object.values<any>(template.findResources('AWS::IAM::ManagedPolicy'))
      .filter((p) => JSON.stringify(p.Properties.Roles).includes(roleId));
    const statements = policies.flatMap((p) => p.Properties.PolicyDocument.Statement);
    expect(statements).toEqual([{ Effect: 'Allow', Action: 'events:PutEvents', Resource: 'arn:aws:events:us-west-2:111111111111:event-bus/dr-events-dev' }]);
  });

  test('the dead-letter queue: KMS-encrypted with its own key, TLS only, kept 14 days, retained, writable by this rule only', () => {
    const { template, stack, forwarding } = make();
    const keyId = idOf(stack, forwarding.encryptionKey as kms.Key);
    template.hasResource('AWS::SQS::Queue', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: {
        QueueName: 'dr-events-dlq-dev',
        KmsMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] },
        MessageRetentionPeriod: 14 * 24 * 3600,
      },
    });
    template.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/dr-events-dev' });
    template.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Retain', Properties: { EnableKeyRotation: true } });
    const queuePolicy = Object.values<any>(template.findResources('AWS::SQS::QueuePolicy'))[0];
    const statements = queuePolicy.Properties.PolicyDocument.Statement;
    expect(statements).toEqual(expect.arrayContaining([
      expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      expect.objectContaining({
        Effect: 'Allow',
        Action: 'sqs:SendMessage',
        Principal: { Service: 'events.amazonaws.com' },
        Condition: { ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': [idOf(stack, forwarding.rule), 'Arn'] } } },
      }),
    ]));
  });

  test('the key lets EventBridge encrypt what it writes to the queue, for this account only', () => {
    const { template } = make();
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([{
          Sid: 'AllowEventBridgeToWriteEncrypted',
          Effect: 'Allow',
          Principal: { Service: 'events.amazonaws.com' },
          Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
          Resource: '*',
          Condition: { StringEquals: { 'aws:SourceAccount': '111111111111' } },
        }]),
      },
    });
  });

  test('two alarms notify the topic: an event in the DLQ, and an event lost on the way to it', () => {
    const { template, stack, forwarding, alarmTopic } = make();
    const topicRef = { Ref: stack.getLogicalId(alarmTopic.node.defaultChild as sns.CfnTopic) };
    template.resourceCountIs('AWS::CloudWatch::Alarm', 2);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'dr-events-dlq-dev',
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [idOf(stack, forwarding.deadLetterQueue), 'QueueName'] } }],
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 0,
      TreatMissingData: 'notBreaching',
      AlarmActions: [topicRef],
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'dr-events-undeliverable-dev',
      Namespace: 'AWS/Events',
      MetricName: 'InvocationsFailedToBeSentToDlq',
      Dimensions: Match.arrayEquals([{ Name: 'EventBusName', Value: 'dr-events-dev' }, { Name: 'RuleName', Value: 'dr-events-forward-dev' }]),
      Statistic: 'Sum',
      Threshold: 0,
      AlarmActions: [topicRef],
    });
  });

  test('the bus itself has no archive and no bus policy: same account needs none', () => {
    const { template } = make();
    template.resourceCountIs('AWS::Events::Archive', 0);
    template.resourceCountIs('AWS::Events::EventBusPolicy', 0);
  });

  test('grantPutEvents lets a principal put events on this region\'s bus only', () => {
    const { stack, forwarding } = make();
    const role = new iam.Role(stack, 'Fn', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    forwarding.grantPutEvents(role);
    const statements = Object.values<any>(Template.fromStack(stack).findResources('AWS::IAM::Policy'))
      .filter((p) => JSON.stringify(p.Properties.Roles).includes(stack.getLogicalId(role.node.defaultChild as iam.CfnRole)))
      .flatMap((p) => p.Properties.PolicyDocument.Statement);
    expect(statements).toEqual([{ Effect: 'Allow', Action: 'events:PutEvents', Resource: { 'Fn::GetAtt': [idOf(stack, forwarding.eventBus), 'Arn'] } }]);
  });
});

describe('overrides', () => {
  test('an event pattern narrows what is forwarded; the region filter stays', () => {
    const { template } = make({ eventPattern: { source: ['payments'], detailType: ['PaymentCaptured'] } });
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { 'source': ['payments'], 'detail-type': ['PaymentCaptured'], 'region': ['us-east-1'] },
    });
  });

  test.each([
    ['1 minute', Duration.minutes(1), 60],
    ['4 days', Duration.days(4), 4 * 24 * 3600],
    ['14 days', Duration.days(14), 14 * 24 * 3600],
  ])('dead-letter retention of %s', (_label, deadLetterRetention, seconds) => {
    make({ deadLetterRetention }).template.hasResourceProperties('AWS::SQS::Queue', { MessageRetentionPeriod: seconds });
  });

  test('another target region and suffix change the computed ARN and every name', () => {
    const stack = testStack({ env: { account: '222222222222', region: 'eu-west-1' } });
    const { template } = make({ environmentSuffix: 'prod-a', targetRegion: 'eu-central-1' }, stack);
    template.hasResourceProperties('AWS::Events::Rule', {
      Name: 'dr-events-forward-prod-a',
      EventPattern: { region: ['eu-west-1'] },
      Targets: [Match.objectLike({ Arn: 'arn:aws:events:eu-central-1:222222222222:event-bus/dr-events-prod-a' })],
    });
    template.hasResourceProperties('AWS::SQS::Queue', { QueueName: 'dr-events-dlq-prod-a' });
  });

  test('an environment-agnostic stack derives region, account and partition at deploy', () => {
    const stack = testStack();
    const { template } = make({}, stack);
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { region: [{ Ref: 'AWS::Region' }] },
      Targets: [Match.objectLike({
        Arn: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':events:us-west-2:', { Ref: 'AWS::AccountId' }, ':event-bus/dr-events-dev']] },
      })],
    });
  });

  test('a partition other than aws is carried into the target ARN', () => {
    const stack = testStack({ env: { account: '111111111111', region: 'cn-north-1' } });
    make({ targetRegion: 'cn-northwest-1' }, stack).template.hasResourceProperties('AWS::Events::Rule', {
      Targets: [Match.objectLike({ Arn: 'arn:aws-cn:events:cn-northwest-1:111111111111:event-bus/dr-events-dev' })],
    });
  });

  test('DESTROY deletes the queue and schedules the key for deletion, and warns', () => {
    const { template, stack } = make({ removalPolicy: RemovalPolicy.DESTROY });
    template.hasResource('AWS::SQS::Queue', { DeletionPolicy: 'Delete' });
    template.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Delete', Properties: { PendingWindowInDays: 7 } });
    Annotations.fromStack(stack).hasWarning('/TestStack/Events', Match.stringLikeRegexp('removalPolicy is DESTROY'));
  });

  test('SNAPSHOT, which SQS cannot do, keeps the queue', () => {
    make({ removalPolicy: RemovalPolicy.SNAPSHOT }).template.hasResource('AWS::SQS::Queue', { DeletionPolicy: 'Retain' });
  });
});

describe('bring your own', () => {
  test('key: the queue uses it, no key or alias is created, its policy is left alone', () => {
    const stack = testStack({ env: ENV });
    const key = kms.Key.fromKeyArn(stack, 'Key', 'arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab');
    const { template, forwarding } = make({ encryptionKey: key }, stack);
    template.hasResourceProperties('AWS::SQS::Queue', { KmsMasterKeyId: key.keyArn });
    template.resourceCountIs('AWS::KMS::Key', 0);
    template.resourceCountIs('AWS::KMS::Alias', 0);
    expect(forwarding.encryptionKey).toBe(key);
  });
});

describe('both regions forward to each other', () => {
  function pair() {
    const app = testApp();
    const stacks = ['us-east-1', 'us-west-2'].map((region) => new Stack(app, `Events-${region}`, { env: { account: '111111111111', region } }));
    const [east, west] = stacks.map((stack, i) => new EventForwarding(stack, 'Events', {
      environmentSuffix: 'prod',
      targetRegion: i === 0 ? 'us-west-2' : 'us-east-1',
      alarmTopic: new sns.Topic(stack, 'Topic'),
    }));
    return { app, stacks, east, west };
  }

  test('each rule targets the other region\'s bus and matches only its own region: a forwarded event is not sent back', () => {
    const { stacks } = pair();
    const rules = stacks.map((s) => Object.values<any>(Template.fromStack(s).findResources('AWS::Events::Rule'))[0].Properties);
    expect(rules[0].EventPattern).toEqual({ region: ['us-east-1'] });
    expect(rules[0].Targets[0].Arn).toBe('arn:aws:events:us-west-2:111111111111:event-bus/dr-events-prod');
    expect(rules[1].EventPattern).toEqual({ region: ['us-west-2'] });
    expect(rules[1].Targets[0].Arn).toBe('arn:aws:events:us-east-1:111111111111:event-bus/dr-events-prod');
    // An event put in us-east-1 keeps region us-east-1 on the us-west-2 bus, where the rule wants us-west-2.
    for (const [i, rule] of rules.entries()) {
      const arrivingFromOther = ['us-west-2', 'us-east-1'][i];
      expect(rule.EventPattern.region).not.toContain(arrivingFromOther);
    }
  });

  test('no cross-region reference of any kind: no exports, imports, stack outputs or export custom resources', () => {
    const { app, stacks } = pair();
    const assembly = app.synth();
    for (const stack of stacks) {
      const text = JSON.stringify(assembly.getStackByName(stack.stackName).template);
      expect(text).not.toMatch(/Fn::ImportValue|Fn::GetStackOutput|"Export"|Custom::CrossRegion|ExportsWriter|ExportsReader/);
      expect(stack.dependencies).toEqual([]);
    }
  });
});

describe('compliance', () => {
  test.each([
    ['RETAIN (default)', undefined],
    ['DESTROY', RemovalPolicy.DESTROY],
  ] as const)('with %s: zero unacknowledged cdk-nag findings (four packs) on the construct', (_label, removalPolicy) => {
    const { stack, forwarding } = make({ removalPolicy });
    expect(nagFindings(stack, forwarding)).toEqual([]);
  });

  complianceTest.each([
    ['an environment-specific stack', { env: ENV }],
    ['an environment-agnostic stack', {}],
  ] as const)('strict schema validation passes in %s', (_label, options: TestStackOptions) => {
    const stack = testStack({ ...options, validate: true });
    make({}, stack);
    expect(() => synth(stack)).not.toThrow();
  });
});

describe('validation', () => {
  test.each([
    ['the stack\'s own region', 'us-east-1', /`targetRegion` must be another region than the stack's own \(us-east-1\)/],
    ['an unknown region', 'us-middle-9', /`targetRegion` must be an AWS region code such as "us-west-2", got: "us-middle-9"/],
    ['an empty string', '', /`targetRegion` must be an AWS region code/],
    ['an uppercase code', 'US-WEST-2', /`targetRegion` must be an AWS region code/],
    ['another partition', 'cn-north-1', /`targetRegion` must be a region of the stack's partition aws/],
    ['a GovCloud region', 'us-gov-west-1', /`targetRegion` must be a region of the stack's partition aws/],
  ])('targetRegion: %s is refused', (_label, targetRegion, message) => {
    expect(() => make({ targetRegion })).toThrow(message);
  });

  test('targetRegion: a token is refused, naming the prop', () => {
    expect(() => make({ targetRegion: Lazy.string({ produce: () => 'us-west-2' }) })).toThrow(/`targetRegion` must be a concrete region code/);
  });

  test.each([
    ['Prod', /`environmentSuffix` must match/],
    ['prod_1', /`environmentSuffix` must match/],
    ['prod-', /`environmentSuffix` must not end with a hyphen/],
    ['a'.repeat(47), /`environmentSuffix` must be at most 46 characters here.*EventBridge rule name/],
  ])('environmentSuffix %s is refused', (environmentSuffix, message) => {
    expect(() => make({ environmentSuffix })).toThrow(message);
  });

  test('environmentSuffix at the longest the rule name allows is accepted', () => {
    expect(() => make({ environmentSuffix: 'a'.repeat(46) })).not.toThrow();
  });

  test.each([
    ['zero', Duration.seconds(0)],
    ['under a minute', Duration.seconds(59)],
    ['a fraction of a second', Duration.millis(60500)],
    ['over 14 days', Duration.days(15)],
    ['a token in days', Duration.days(Lazy.number({ produce: () => 3 }))],
  ])('deadLetterRetention %s is refused', (_label, deadLetterRetention) => {
    expect(() => make({ deadLetterRetention })).toThrow(/`deadLetterRetention` (must be|from a token must be given as Duration.seconds)/);
  });

  test('eventPattern with its own region is refused: that filter is what prevents loops', () => {
    expect(() => make({ eventPattern: { region: ['us-west-2'] } })).toThrow(/`eventPattern` must not set `region`.*got: \["us-west-2"\]/);
  });

  test('a key of another region is refused', () => {
    const stack = testStack({ env: ENV });
    const key = kms.Key.fromKeyArn(stack, 'Key', 'arn:aws:kms:us-west-2:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab');
    expect(() => make({ encryptionKey: key }, stack)).toThrow(/`encryptionKey` must be a KMS key in the stack's region us-east-1/);
  });

  test('two forwardings with one suffix in one account and region are refused', () => {
    const stack = testStack({ env: ENV });
    make({}, stack);
    expect(() => new EventForwarding(stack, 'Again', { environmentSuffix: 'dev', targetRegion: 'us-west-2', alarmTopic: new sns.Topic(stack, 'T2') }))
      .toThrow(/already uses/);
  });
});

describe('sweeps', () => {
  const build = (stack: Stack, props: Partial<EventForwardingProps> = {}) =>
    new EventForwarding(stack, 'Events', { environmentSuffix: 'dev', targetRegion: 'us-west-2', alarmTopic: new sns.Topic(stack, 'Topic'), ...props });

  // SQS keeps a message 60 seconds to 14 days; CloudFormation takes seconds, so a token in seconds is fine.
  complianceTest.each(durationInputs('seconds', 60, 14 * 86400).map((input) => [input.label, input] as [string, DurationInput]))(
    'deadLetterRetention %s: accepted within SQS limits as a whole number of seconds, else refused naming the prop', (_label, input) => {
      const amount = input.amountIn('seconds');
      const expectAccepted = amount === undefined ? input.tokenUnit === 'seconds' : Number.isInteger(amount) && amount >= 60 && amount <= 14 * 86400;
      const verdict = attempt((stack) => build(stack, { deadLetterRetention: input.make(stack) }), { env: ENV });
      if (verdict.accepted) {
        expect(expectAccepted).toBe(true);
        const queue = Object.values<any>(verdict.template.Resources).find((r) => r.Type === 'AWS::SQS::Queue');
        expect(queue.Properties.MessageRetentionPeriod).toEqual(amount === undefined ? TOKEN_REF : amount);
      } else {
        expect(expectAccepted).toBe(false);
        expect(verdict.message).toContain('`deadLetterRetention`');
        expect(verdict.message).toContain(amount === undefined ? '<token>' : input.make(new Stack()).toHumanString());
      }
    });

  complianceTest.each([
    ['a key of the stack\'s region', 'arn:aws:kms:us-east-1:111111111111:key/11111111-2222-3333-4444-555555555555', true],
    ['a key of the target region', 'arn:aws:kms:us-west-2:111111111111:key/11111111-2222-3333-4444-555555555555', false],
    ['a key of another partition', 'arn:aws-cn:kms:cn-north-1:111111111111:key/11111111-2222-3333-4444-555555555555', false],
    ['a multi-Region replica key of another region', 'arn:aws:kms:eu-central-1:111111111111:key/mrk-1234abcd12ab34cd56ef1234567890ab', false],
  ])('encryptionKey: %s (accepted: %s)', (_label, arn, accepted) => {
    const verdict = attempt((stack) => build(stack, { encryptionKey: kms.Key.fromKeyArn(stack, 'Key', arn) }), { env: ENV });
    expect(verdict.accepted).toBe(accepted);
    if (!verdict.accepted) {
      expect(verdict.message).toContain('`encryptionKey`');
      expect(verdict.message).toContain(arn);
    }
  });

  const keyOfEuWest1 = 'arn:aws:kms:eu-west-1:111111111111:key/11111111-2222-3333-4444-555555555555';

  test('encryptionKey of a concrete region in an environment-agnostic stack: the template asserts the region', () => {
    const stack = testStack();
    build(stack, { encryptionKey: kms.Key.fromKeyArn(stack, 'Key', keyOfEuWest1) });
    const rules = Object.values<any>(Template.fromStack(stack).toJSON().Rules ?? {});
    const assertions = rules.flatMap((r) => r.Assertions).filter((a) => JSON.stringify(a.Assert).includes('AWS::Region'));
    // The key's region, and (the other region rule) that the stack is not deployed to targetRegion.
    expect(assertions).toEqual([
      expect.objectContaining({ Assert: { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'us-west-2'] }] } }),
      expect.objectContaining({ Assert: { 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'eu-west-1'] } }),
    ]);
  });

  complianceTest('encryptionKey of a concrete region in an environment-agnostic stack: accepted under strict schema validation', () => {
    expect(attempt((stack) => build(stack, { encryptionKey: kms.Key.fromKeyArn(stack, 'Key', keyOfEuWest1) })).accepted).toBe(true);
  });

  test('targetRegion in an environment-agnostic stack: the template refuses the deploy to targetRegion', () => {
    const { template } = make({}, testStack());
    const rules = Object.values<any>(template.toJSON().Rules ?? {});
    expect(rules.flatMap((r) => r.Assertions).filter((a) => JSON.stringify(a.Assert).includes('AWS::Region'))).toEqual([
      expect.objectContaining({ Assert: { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'us-west-2'] }] } }),
    ]);
  });
});
