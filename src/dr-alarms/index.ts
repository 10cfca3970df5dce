export * from './dr-alarms';
// Only the props interface: the file's validation helpers stay internal.
export type { DrAlarmThresholds } from './thresholds';
