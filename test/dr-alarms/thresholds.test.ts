import { Duration, Size } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { DrAlarmThresholds } from '../../src';
import { resolveThresholds } from '../../src/dr-alarms/thresholds';
import { testApp } from '../util';

const scope = () => new Construct(testApp(), 'Alarms');

describe('resolveThresholds', () => {
  test('the documented defaults, in the units the alarms compare', () => {
    expect(resolveThresholds(scope())).toEqual({
      backupJobsFailed: 1,
      databaseCpuPercent: 80,
      databaseFreeableMemory: 256 * 1024 * 1024,
      databaseConnections: 200,
      databaseReplicaLag: 2000,
      databaseDeadlocksPerSecond: 0.1,
      tableThrottleEvents: 1,
      tableSystemErrors: 1,
      functionErrors: 1,
      functionThrottles: 1,
      functionDurationPercentOfTimeout: 80,
    });
  });

  test('given values win, sizes and durations converted', () => {
    const t = resolveThresholds(scope(), {
      databaseFreeableMemory: Size.gibibytes(1), databaseReplicaLag: Duration.seconds(10), databaseCpuPercent: 95,
    });
    expect(t).toMatchObject({ databaseFreeableMemory: 1024 ** 3, databaseReplicaLag: 10000, databaseCpuPercent: 95 });
  });

  const ranges: Array<[keyof DrAlarmThresholds, number, number]> = [
    ['backupJobsFailed', 1, Infinity], ['databaseCpuPercent', 1, 100], ['databaseConnections', 1, Infinity],
    ['databaseDeadlocksPerSecond', 0, Infinity], ['tableThrottleEvents', 1, Infinity], ['tableSystemErrors', 1, Infinity],
    ['functionErrors', 1, Infinity], ['functionThrottles', 1, Infinity], ['functionDurationPercentOfTimeout', 1, 100],
  ];
  test.each(ranges)('%s: accepted exactly within %d to %d, refused naming the prop otherwise', (name, min, max) => {
    for (const value of [min - 1, min - 0.5, min, min + 0.5, 50, 100, 101, 1e6, NaN]) {
      const ok = value >= min && value <= max;
      const resolve = () => resolveThresholds(scope(), { [name]: value });
      if (ok) {
        expect(resolve).not.toThrow();
      } else {
        expect(resolve).toThrow(new RegExp(`^\`thresholds\\.${name}\` must be .*got: ${value} \\(in Alarms\\)$`));
      }
    }
  });
});
