import { Duration, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DrAlarms, EncryptedAurora, HourlyBackup, PitrTable } from 'cdk-dr-platform';

declare const stack: Stack;
declare const backup: HourlyBackup;
declare const db: EncryptedAurora;
declare const table: PitrTable;
declare const processor: lambda.Function;

const alarms = new DrAlarms(stack, 'Alarms', {
  environmentSuffix: 'dev',
  alarmEmails: ['oncall@example.com'],
  backup,
  database: db.cluster,
  table: table.table,
  functions: [processor],
  thresholds: { databaseCpuPercent: 85, functionDurationPercentOfTimeout: 90 },
  period: Duration.minutes(5),
});
