import { Duration, Size, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { DrValidationError } from '../private/validation';

/**
 * Alarm thresholds. Counts are over one evaluation `period`; an alarm fires
 * at the threshold or above (below, for freeable memory).
 */
export interface DrAlarmThresholds {
  /**
   * Failed or expired backup jobs, and failed copy jobs, in the vault.
   *
   * @default 1
   */
  readonly backupJobsFailed?: number;

  /**
   * Aurora CPU utilization, percent (maximum over the period).
   *
   * @default 80
   */
  readonly databaseCpuPercent?: number;

  /**
   * Aurora freeable memory: the alarm fires below this (minimum over the period).
   *
   * @default Size.mebibytes(256)
   */
  readonly databaseFreeableMemory?: Size;

  /**
   * Aurora database connections (maximum over the period).
   *
   * @default 200
   */
  readonly databaseConnections?: number;

  /**
   * Aurora replica lag (the cluster's maximum): a failover target this far
   * behind loses that much data.
   *
   * @default Duration.seconds(2)
   */
  readonly databaseReplicaLag?: Duration;

  /**
   * Aurora deadlocks per second (average over the period).
   *
   * @default 0.1
   */
  readonly databaseDeadlocksPerSecond?: number;

  /**
   * DynamoDB throttle events, read and write each (sum over the period).
   *
   * @default 1
   */
  readonly tableThrottleEvents?: number;

  /**
   * DynamoDB system errors over all operations (sum over the period).
   *
   * @default 1
   */
  readonly tableSystemErrors?: number;

  /**
   * Lambda errors (sum over the period).
   *
   * @default 1
   */
  readonly functionErrors?: number;

  /**
   * Lambda throttles (sum over the period).
   *
   * @default 1
   */
  readonly functionThrottles?: number;

  /**
   * Lambda duration, as a percentage of the function's timeout (maximum over the period).
   *
   * @default 80
   */
  readonly functionDurationPercentOfTimeout?: number;
}

/** Every threshold with its default applied, in the units the alarms compare. */
export interface ResolvedThresholds {
  readonly backupJobsFailed: number;
  readonly databaseCpuPercent: number;
  /** Bytes. */
  readonly databaseFreeableMemory: number;
  readonly databaseConnections: number;
  /** Milliseconds, as AuroraReplicaLagMaximum reports. */
  readonly databaseReplicaLag: number;
  readonly databaseDeadlocksPerSecond: number;
  readonly tableThrottleEvents: number;
  readonly tableSystemErrors: number;
  readonly functionErrors: number;
  readonly functionThrottles: number;
  readonly functionDurationPercentOfTimeout: number;
}

/** The numeric thresholds' ranges; each message names `thresholds.<name>`. */
const RANGES: Array<[keyof DrAlarmThresholds, number, number]> = [
  ['backupJobsFailed', 1, Number.MAX_SAFE_INTEGER],
  ['databaseCpuPercent', 1, 100],
  ['databaseConnections', 1, Number.MAX_SAFE_INTEGER],
  ['databaseDeadlocksPerSecond', 0, Number.MAX_SAFE_INTEGER],
  ['tableThrottleEvents', 1, Number.MAX_SAFE_INTEGER],
  ['tableSystemErrors', 1, Number.MAX_SAFE_INTEGER],
  ['functionErrors', 1, Number.MAX_SAFE_INTEGER],
  ['functionThrottles', 1, Number.MAX_SAFE_INTEGER],
  ['functionDurationPercentOfTimeout', 1, 100],
];

/** Validates the thresholds and applies the defaults. */
export function resolveThresholds(scope: IConstruct, t: DrAlarmThresholds = {}): ResolvedThresholds {
  for (const [name, min, max] of RANGES) {
    const value = t[name] as number | undefined;
    if (value !== undefined && !Token.isUnresolved(value) && !(value >= min && value <= max)) {
      const range = max === Number.MAX_SAFE_INTEGER ? `at least ${min}` : `from ${min} to ${max}`;
      throw new DrValidationError(scope, `\`thresholds.${name}\` must be ${range}, got: ${value}`);
    }
  }
  return {
    backupJobsFailed: t.backupJobsFailed ?? 1,
    databaseCpuPercent: t.databaseCpuPercent ?? 80,
    databaseFreeableMemory: (t.databaseFreeableMemory ?? Size.mebibytes(256)).toBytes(),
    databaseConnections: t.databaseConnections ?? 200,
    databaseReplicaLag: (t.databaseReplicaLag ?? Duration.seconds(2)).toMilliseconds(),
    databaseDeadlocksPerSecond: t.databaseDeadlocksPerSecond ?? 0.1,
    tableThrottleEvents: t.tableThrottleEvents ?? 1,
    tableSystemErrors: t.tableSystemErrors ?? 1,
    functionErrors: t.functionErrors ?? 1,
    functionThrottles: t.functionThrottles ?? 1,
    functionDurationPercentOfTimeout: t.functionDurationPercentOfTimeout ?? 80,
  };
}
