/**
 * RestoreDrills: the one drills prop of both platforms. On by default, off
 * only as RestoreDrills.disabled(), options only with RestoreDrills.enabled(),
 * and anything else (a JavaScript caller's former boolean) refused by name.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import { MultiRegionDrPlatform, RestoreDrills, SingleRegionDrPlatform, SingleRegionDrPlatformProps } from '../../src';
import { testApp, testStack } from '../util';

const ENV = { account: '123456789012', region: 'eu-west-1' };

function single(restoreDrills: RestoreDrills | undefined) {
  const stack = testStack({ env: ENV });
  const props: SingleRegionDrPlatformProps = { environmentSuffix: 'dev', ...(restoreDrills === undefined ? {} : { restoreDrills }) };
  const platform = new SingleRegionDrPlatform(stack, 'Platform', props);
  return { platform, template: Template.fromStack(stack) };
}

describe('RestoreDrills', () => {
  test('the factories: enabled() carries its options (none given: empty), disabled() none', () => {
    const schedule = events.Schedule.cron({ minute: '0', hour: '2', day: '1' });
    expect(RestoreDrills.enabled().options).toEqual({});
    expect(RestoreDrills.enabled({ schedule }).options).toEqual({ schedule });
    expect(RestoreDrills.disabled().options).toBeUndefined();
  });
});

describe('SingleRegionDrPlatform restoreDrills', () => {
  test.each([
    ['left out', undefined],
    ['RestoreDrills.enabled()', RestoreDrills.enabled()],
  ])('%s: the drills run weekly, with RestoreDrill\'s defaults', (_label, drills) => {
    const { platform, template } = single(drills);
    expect(platform.restoreDrill).toBeDefined();
    // Two plans, snapshot and continuous (PITR) points, on the one schedule.
    template.resourceCountIs('AWS::Backup::RestoreTestingPlan', 2);
    for (const kind of ['SNAPSHOT', 'CONTINUOUS']) {
      template.hasResourceProperties('AWS::Backup::RestoreTestingPlan', {
        ScheduleExpression: 'cron(0 3 ? * SUN *)', RecoveryPointSelection: Match.objectLike({ RecoveryPointTypes: [kind] }),
      });
    }
  });

  test('RestoreDrills.enabled(options) passes the options through to RestoreDrill', () => {
    const { platform, template } = single(RestoreDrills.enabled({
      schedule: events.Schedule.cron({ minute: '0', hour: '2', day: '1' }),
      scheduleInterval: Duration.days(31),
    }));
    template.hasResourceProperties('AWS::Backup::RestoreTestingPlan', { ScheduleExpression: 'cron(0 2 1 * ? *)' });
    expect(platform.restoreDrill!.schedule.expressionString).toBe('cron(0 2 1 * ? *)');
  });

  test('RestoreDrills.disabled(): no restore testing plan, no drill', () => {
    const { platform, template } = single(RestoreDrills.disabled());
    expect(platform.restoreDrill).toBeUndefined();
    template.resourceCountIs('AWS::Backup::RestoreTestingPlan', 0);
    template.resourceCountIs('AWS::Backup::RestoreTestingSelection', 0);
  });

  // What a JavaScript caller could still pass: the former boolean, or the former options struct.
  test.each([true, false, {}, { schedule: events.Schedule.rate(Duration.days(7)) }, 'off'])(
    'restoreDrills: %p (not a RestoreDrills) is refused, naming the prop and the two factories', (value) => {
      expect(() => single(value as unknown as RestoreDrills))
        .toThrow(/`restoreDrills` must be RestoreDrills\.enabled\(options\) or RestoreDrills\.disabled\(\), got: /);
    });
});

describe('MultiRegionDrPlatform restoreDrills', () => {
  const multi = (restoreDrills?: RestoreDrills) => new MultiRegionDrPlatform(testApp(), 'Payments', {
    environmentSuffix: 'prod',
    primary: { account: ENV.account, region: 'us-east-1' },
    secondary: { account: ENV.account, region: 'us-west-2' },
    ...(restoreDrills === undefined ? {} : { restoreDrills }),
  });

  test('passed through to the primary: on by default, off with RestoreDrills.disabled(), options with enabled(options)', () => {
    expect(multi().primary.restoreDrill).toBeDefined();
    expect(multi(RestoreDrills.disabled()).primary.restoreDrill).toBeUndefined();
    const drill = multi(RestoreDrills.enabled({ validationWindow: Duration.hours(2) })).primary.restoreDrill!;
    expect(Template.fromStack(Stack.of(drill)).findResources('AWS::Backup::RestoreTestingSelection', { Properties: { ValidationWindowHours: 2 } }))
      .not.toEqual({});
  });
});
