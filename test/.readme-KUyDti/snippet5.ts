import { Duration, Stack } from 'aws-cdk-lib';
import { EncryptedAurora, HourlyBackup, PitrTable, ProtectedResource, VersionedBucket } from 'cdk-dr-platform';

declare const stack: Stack;
declare const db: EncryptedAurora;
declare const table: PitrTable;
declare const receipts: VersionedBucket;

const backup = new HourlyBackup(stack, 'Backup', {
  environmentSuffix: 'dev',
  rpo: Duration.hours(1),            // the default
  retention: Duration.days(14),      // at least 7 days
  resources: [
    ProtectedResource.fromEncryptedAurora(db),
    ProtectedResource.fromPitrTable(table),
    ProtectedResource.fromVersionedBucket(receipts),
  ],
});
console.log(backup.coverageSummary);
