export * from './dr-alarms';
// Only the props interfaces: the monitoring classes and validation helpers stay internal.
export type { MonitorOptions } from './alarm-factory';
export type { BackupVaultMonitorOptions } from './backup-vault-monitoring';
export type { MonitorFunctionOptions } from './function-monitoring';
export type { GlobalDatabaseMonitorOptions } from './global-database-monitoring';
export type { ReplicationMonitorOptions, TableReplicationMonitorOptions } from './replication-monitoring';
export type { MonitorRestoreDrillsOptions } from './restore-drill-monitoring';
export type { DrAlarmThresholds } from './thresholds';
