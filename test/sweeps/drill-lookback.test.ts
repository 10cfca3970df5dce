/**
 * The monitor looks back DRILL_LOOKBACK_DAYS for the last validated drill;
 * a drill older than that reads as none. The overdue-drill alarm's threshold
 * grows with the drill's scheduleInterval, so for every interval the drill
 * accepts, the look-back must cover the threshold, or a drill that is late
 * but not yet overdue would read as missing.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import { RestoreDrills, SingleRegionDrPlatform } from '../../src';
import { DRILL_LOOKBACK_DAYS, METRIC_LAST_DRILL_AGE } from '../../src/private/recovery-metrics';
import { readConfig } from '../../src/recovery-point-monitor/recovery-point-age.lambda';
import { testApp } from '../util';

const ENV = { account: '123456789012', region: 'eu-west-1' };
// From the shortest interval the drill accepts to its longest (744 hours, a monthly schedule's longest gap).
const INTERVAL_HOURS = [1, 24, 7 * 24, 14 * 24, 30 * 24, 744];

function overdueThresholds(intervalHours: number): number[] {
  const stack = new Stack(testApp(), 'Drills', { env: ENV });
  new SingleRegionDrPlatform(stack, 'Platform', {
    environmentSuffix: 'test',
    restoreDrills: RestoreDrills.enabled({ schedule: events.Schedule.cron({ minute: '0', hour: '3', day: '1' }), scheduleInterval: Duration.hours(intervalHours) }),
  });
  return Object.values<any>(Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm'))
    .filter((alarm) => alarm.Properties.MetricName === METRIC_LAST_DRILL_AGE)
    .map((alarm) => alarm.Properties.Threshold);
}

test('the handler looks back DRILL_LOOKBACK_DAYS unless told otherwise', () => {
  const config = readConfig({ ENVIRONMENT: 'test', RESOURCES: JSON.stringify([{ name: 'a', arn: 'arn:aws:s3:::b', type: 'S3' }]) });
  expect(config.lookbackDays).toBe(DRILL_LOOKBACK_DAYS);
});

test.each(INTERVAL_HOURS)('a drill every %d hours: every overdue threshold lies within the look-back', (hours) => {
  const thresholds = overdueThresholds(hours);
  // One overdue alarm per drilled resource type.
  expect(thresholds.length).toBeGreaterThan(0);
  for (const threshold of thresholds) {
    expect(threshold).toBeGreaterThanOrEqual(hours);
    expect(threshold).toBeLessThan(DRILL_LOOKBACK_DAYS * 24);
  }
});

test('an interval past the longest the sweep covers is refused, so the sweep covers every accepted interval', () => {
  expect(() => overdueThresholds(745)).toThrow(/`scheduleInterval`/);
});
