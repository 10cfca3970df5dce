/**
 * The logical ids of every stateful resource (clusters, instances, global
 * clusters, tables, buckets, vaults, keys, secrets) in the reference apps and
 * in both platforms with every option on. A changed logical id makes
 * CloudFormation replace the resource: a new, empty database, table, bucket
 * or vault, or a key whose ciphertexts the old one holds. So these ids are a
 * contract: a refactor must keep them, and a change that cannot keep one is
 * a breaking change recorded in CHANGELOG.md with the migration
 * (for example `cdk refactor`, or overrideLogicalId with the old id).
 */
import * as fs from 'fs';
import { CONFIGURATIONS, synthesizeConfiguration } from '../scripts/reference-configurations';

const STATEFUL_TYPES = [
  'AWS::RDS::DBCluster', 'AWS::RDS::DBInstance', 'AWS::RDS::GlobalCluster',
  'AWS::DynamoDB::Table', 'AWS::DynamoDB::GlobalTable',
  'AWS::S3::Bucket', 'AWS::Backup::BackupVault', 'AWS::KMS::Key', 'AWS::SecretsManager::Secret',
];

const STATEFUL: Record<string, Record<string, string[]>> = {
  'reference': {
    'DrReference-ci': [
      'PlatformAlarmTopicKeyE2D4ED9E', 'PlatformBackupEncryptionKey2F9589EC', 'PlatformBackupVault220471C4',
      'PlatformBucketAccessLogsBucketDAFDC7BF', 'PlatformBucketBBE3A10B', 'PlatformBucketEncryptionKey85EB326C',
      'PlatformDatabaseCluster4F5E008D', 'PlatformDatabaseClusterReader14BCE400F', 'PlatformDatabaseClusterWriterDB118415',
      'PlatformDatabaseEncryptionKey04C6EAFA', 'PlatformEncryptionKeyCF8AB6B1', 'PlatformTable2E243E34',
      'PlatformTableEncryptionKey9CB830DF',
    ],
  },
  'reference-destroy': {
    'DrReference-ci': [
      'PlatformAlarmTopicKeyE2D4ED9E', 'PlatformBackupEncryptionKey2F9589EC', 'PlatformBackupVault220471C4',
      'PlatformBucketAccessLogsBucketDAFDC7BF', 'PlatformBucketBBE3A10B', 'PlatformBucketEncryptionKey85EB326C',
      'PlatformDatabaseCluster4F5E008D', 'PlatformDatabaseClusterReader14BCE400F', 'PlatformDatabaseClusterWriterDB118415',
      'PlatformDatabaseEncryptionKey04C6EAFA', 'PlatformEncryptionKeyCF8AB6B1', 'PlatformTable2E243E34',
      'PlatformTableEncryptionKey9CB830DF',
    ],
  },
  'data-layer': {
    'DrDataLayer-ci': [
      'BackupEncryptionKey154CF693', 'BackupNotificationsKey1633B5D8', 'BackupVaultADF21B19', 'DatabaseCluster5B53A178',
      'DatabaseClusterReader1D8B76102', 'DatabaseClusterWriterD43085C6', 'DatabaseEncryptionKey68C4EDF2', 'FlowLogKeyA9968EC3',
      'ReceiptsAccessLogsBucketE7093643', 'ReceiptsBucket3F658C3D', 'ReceiptsEncryptionKey824916D7', 'TransactionsEncryptionKey315D4B40',
      'TransactionsTableB808F8B3',
    ],
  },
  'multi-region': {
    'DrMultiRegion-ci-primary': [
      // The vault the secondary's own plan copies back to (issue 19 part 3), and its key.
      'CopyBackVaultEncryptionKey2D0DBD53', 'CopyBackVaultF836DF55',
      'DrMultiRegionPrimaryPlatformDatabaseClusterSecretD1F64BFE3fdaad7efa858a3daf9490cf0a702aeb', 'PlatformAlarmTopicKeyE2D4ED9E',
      'PlatformBackupEncryptionKey2F9589EC', 'PlatformBackupVault220471C4', 'PlatformBucketAccessLogsBucketDAFDC7BF',
      'PlatformBucketBBE3A10B', 'PlatformBucketEncryptionKey85EB326C', 'PlatformDatabaseCluster4F5E008D',
      'PlatformDatabaseClusterReader14BCE400F', 'PlatformDatabaseClusterWriterDB118415', 'PlatformDatabaseEncryptionKey04C6EAFA',
      'PlatformDatabaseGlobalCluster28D0FD5D', 'PlatformEncryptionKeyCF8AB6B1', 'Table710B521B', 'TableEncryptionKey7FFE7125',
    ],
    'DrMultiRegion-ci-secondary-foundation': [
      'CopyVault87F9E5EC', 'CopyVaultEncryptionKeyD3B67FC2', 'DatabaseKey7576F140', 'EncryptionKey1B843E66',
      'ReplicaBucketAccessLogsBucket59528855', 'ReplicaBucketEncryptionKey23CE61EA', 'ReplicaBucketF8399501', 'TableKeyF581D96F',
    ],
    'DrMultiRegion-ci-secondary': [
      'AlarmTopicKey57B0D3A7',
      // The secondary region's own backup plan (issue 19 part 3): its key and vault.
      'BackupEncryptionKey154CF693', 'BackupVaultADF21B19',
      'DatabaseClusterC6094C50', 'DatabaseInstance1844F58FD',
      // The region switch plan (issue 19): its fence's key, the report bucket, its access logs and key.
      'RegionSwitchFenceEncryptionKey868CDB4F', 'RegionSwitchReportAccessLogs38FDB23E', 'RegionSwitchReportBucket660E10EA',
      'RegionSwitchReportKey9C6E35C9',
    ],
  },
  'multi-region-destroy': {
    'DrMultiRegion-ci-primary': [
      // The vault the secondary's own plan copies back to (issue 19 part 3), and its key.
      'CopyBackVaultEncryptionKey2D0DBD53', 'CopyBackVaultF836DF55',
      'DrMultiRegionPrimaryPlatformDatabaseClusterSecretD1F64BFE3fdaad7efa858a3daf9490cf0a702aeb', 'PlatformAlarmTopicKeyE2D4ED9E',
      'PlatformBackupEncryptionKey2F9589EC', 'PlatformBackupVault220471C4', 'PlatformBucketAccessLogsBucketDAFDC7BF',
      'PlatformBucketBBE3A10B', 'PlatformBucketEncryptionKey85EB326C', 'PlatformDatabaseCluster4F5E008D',
      'PlatformDatabaseClusterReader14BCE400F', 'PlatformDatabaseClusterWriterDB118415', 'PlatformDatabaseEncryptionKey04C6EAFA',
      'PlatformDatabaseGlobalCluster28D0FD5D', 'PlatformEncryptionKeyCF8AB6B1', 'Table710B521B', 'TableEncryptionKey7FFE7125',
    ],
    'DrMultiRegion-ci-secondary-foundation': [
      'CopyVault87F9E5EC', 'CopyVaultEncryptionKeyD3B67FC2', 'DatabaseKey7576F140', 'EncryptionKey1B843E66',
      'ReplicaBucketAccessLogsBucket59528855', 'ReplicaBucketEncryptionKey23CE61EA', 'ReplicaBucketF8399501', 'TableKeyF581D96F',
    ],
    'DrMultiRegion-ci-secondary': [
      'AlarmTopicKey57B0D3A7',
      // The secondary region's own backup plan (issue 19 part 3): its key and vault.
      'BackupEncryptionKey154CF693', 'BackupVaultADF21B19',
      'DatabaseClusterC6094C50', 'DatabaseInstance1844F58FD',
      // The region switch plan (issue 19): its fence's key, the report bucket, its access logs and key.
      'RegionSwitchFenceEncryptionKey868CDB4F', 'RegionSwitchReportAccessLogs38FDB23E', 'RegionSwitchReportBucket660E10EA',
      'RegionSwitchReportKey9C6E35C9',
    ],
  },
  'single-every-option': {
    SingleEveryOption: [
      'PlatformAlarmTopicKeyE2D4ED9E', 'PlatformBackupEncryptionKey2F9589EC', 'PlatformBackupVault220471C4',
      'PlatformBucketAccessLogsBucketDAFDC7BF', 'PlatformBucketBBE3A10B', 'PlatformBucketEncryptionKey85EB326C',
      'PlatformDatabaseCluster4F5E008D', 'PlatformDatabaseClusterReader14BCE400F', 'PlatformDatabaseClusterWriterDB118415',
      'PlatformDatabaseEncryptionKey04C6EAFA', 'PlatformEncryptionKeyCF8AB6B1', 'PlatformTable2E243E34',
      'PlatformTableEncryptionKey9CB830DF',
    ],
  },
  'single-every-option-destroy': {
    SingleEveryOption: [
      'PlatformAlarmTopicKeyE2D4ED9E', 'PlatformBackupEncryptionKey2F9589EC', 'PlatformBackupVault220471C4',
      'PlatformBucketAccessLogsBucketDAFDC7BF', 'PlatformBucketBBE3A10B', 'PlatformBucketEncryptionKey85EB326C',
      'PlatformDatabaseCluster4F5E008D', 'PlatformDatabaseClusterReader14BCE400F', 'PlatformDatabaseClusterWriterDB118415',
      'PlatformDatabaseEncryptionKey04C6EAFA', 'PlatformEncryptionKeyCF8AB6B1', 'PlatformTable2E243E34',
      'PlatformTableEncryptionKey9CB830DF',
    ],
  },
  'multi-every-option': {
    'Multi-all-primary': [
      // The vault the secondary's own plan copies back to (issue 19 part 3), and its key.
      'CopyBackVaultEncryptionKey2D0DBD53', 'CopyBackVaultF836DF55',
      'MultiPrimaryPlatformDatabaseClusterSecret4A87C8533fdaad7efa858a3daf9490cf0a702aeb', 'PlatformAlarmTopicKeyE2D4ED9E',
      'PlatformBackupEncryptionKey2F9589EC', 'PlatformBackupVault220471C4', 'PlatformBucketAccessLogsBucketDAFDC7BF',
      'PlatformBucketBBE3A10B', 'PlatformBucketEncryptionKey85EB326C', 'PlatformDatabaseCluster4F5E008D',
      'PlatformDatabaseClusterReader14BCE400F', 'PlatformDatabaseClusterWriterDB118415', 'PlatformDatabaseEncryptionKey04C6EAFA',
      'PlatformDatabaseGlobalCluster28D0FD5D', 'PlatformEncryptionKeyCF8AB6B1', 'Table710B521B', 'TableEncryptionKey7FFE7125',
    ],
    'Multi-all-secondary-foundation': [
      'CopyVault87F9E5EC', 'CopyVaultEncryptionKeyD3B67FC2', 'DatabaseKey7576F140', 'EncryptionKey1B843E66',
      'ReplicaBucketAccessLogsBucket59528855', 'ReplicaBucketEncryptionKey23CE61EA', 'ReplicaBucketF8399501', 'TableKeyF581D96F',
    ],
    'Multi-all-secondary': [
      'AlarmTopicKey57B0D3A7',
      // The secondary region's own backup plan (issue 19 part 3): its key and vault.
      'BackupEncryptionKey154CF693', 'BackupVaultADF21B19',
      'DatabaseClusterC6094C50', 'DatabaseInstance1844F58FD',
      // The region switch plan (issue 19): its fence's key, the report bucket, its access logs and key.
      'RegionSwitchFenceEncryptionKey868CDB4F', 'RegionSwitchReportAccessLogs38FDB23E', 'RegionSwitchReportBucket660E10EA',
      'RegionSwitchReportKey9C6E35C9',
    ],
  },
};

test('the contract covers every configuration', () => {
  expect(Object.keys(STATEFUL).sort()).toEqual(Object.keys(CONFIGURATIONS).sort());
});

describe.each(Object.keys(CONFIGURATIONS))('%s', (configuration) => {
  let actual: Record<string, string[]>;
  beforeAll(() => {
    const assembly = synthesizeConfiguration(configuration);
    try {
      actual = Object.fromEntries(assembly.stacks
        .map((stack) => [stack.stackName, Object.entries<any>(stack.template.Resources ?? {})
          .filter(([, resource]) => STATEFUL_TYPES.includes(resource.Type)).map(([id]) => id).sort()] as const)
        .filter(([, ids]) => ids.length > 0));
    } finally {
      fs.rmSync(assembly.directory, { recursive: true, force: true });
    }
  });

  test('keeps the logical id of every stateful resource, and adds or drops none', () => {
    expect(actual).toEqual(STATEFUL[configuration]);
  });
});
