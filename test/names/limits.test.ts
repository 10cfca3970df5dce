/**
 * Every construct's derived names at their AWS limits. For each, the longest
 * suffix is worked out by hand from the name pattern and the limit (written
 * next to each case), and the sweep checks suffix lengths up to and past it:
 * accepted exactly up to that length, with every name within its limit and
 * one name at it, refused past it with the message naming the tightest name.
 * Names that carry an unknown account or region are measured with the
 * longest ones (12 digits, the longest region code).
 */
import { Stack } from 'aws-cdk-lib';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { Construct } from 'constructs';
import {
  alarmNames, auroraNames, auroraSecondaryDerivedNames, backupAuditDerivedNames, DerivedName, drAlarmsDerivedNames, drBackupVaultDerivedNames,
  encryptedAuroraDerivedNames, eventForwardingDerivedNames, functionNames, globalTableDerivedNames, hourlyBackupDerivedNames, multiRegionNames,
  multiRegionPlatformDerivedNames, pitrTableDerivedNames, platformNames, recoveryMonitorDerivedNames, regionHealthDerivedNames, regionHealthNames,
  regionSwitchFenceDerivedNames, regionSwitchPlanDerivedNames, regionSwitchRehearsalDerivedNames,
  restoreDrillDerivedNames, singleRegionPlatformDerivedNames,
  tableKeyAlias,
  validateEnvironmentSuffix, versionedBucketDerivedNames,
  vpcLambdaDerivedNames,
} from '../../src/names';
import { testApp } from '../util';

const LONGEST_REGION = Math.max(...RegionInfo.regions.map((r) => r.name.length));

interface Case {
  readonly name: string;
  /** The longest suffix, by hand: the tightest name's limit less its fixed characters. */
  readonly longest: number;
  readonly derive: (scope: Construct, suffix: string) => DerivedName[];
  readonly env?: { account: string; region: string };
}

const CASES: Case[] = [
  // dr-aurora-{s}-reader-1 (19 fixed) within 63
  { name: 'EncryptedAurora', longest: 44, derive: (_, s) => encryptedAuroraDerivedNames(s, 1, false) },
  // dr-aurora-{s}-reader-10 (20 fixed) within 63
  { name: 'EncryptedAurora, 10 readers, global', longest: 43, derive: (_, s) => encryptedAuroraDerivedNames(s, 10, true) },
  // dr-aurora-{s}-instance-1 (21 fixed) within 63
  { name: 'AuroraGlobalSecondary', longest: 42, derive: (_, s) => auroraSecondaryDerivedNames(s, 1, true) },
  // dr-aurora-{s}-instance-12 (22 fixed) within 63
  { name: 'AuroraGlobalSecondary, 12 instances, given key', longest: 41, derive: (_, s) => auroraSecondaryDerivedNames(s, 12, false) },
  // alias/dr-table-{s} (15 fixed) within 256: the key it creates
  { name: 'PitrTable', longest: 241, derive: (_, s) => pitrTableDerivedNames(s) },
  // dr-table-{s} (9 fixed) within 255
  { name: 'PitrTable, given key', longest: 246, derive: (_, s) => pitrTableDerivedNames(s, false) },
  // alias/dr-table-{s} (15 fixed) within 256
  { name: 'GlobalPitrTable', longest: 241, derive: (_, s) => globalTableDerivedNames(s) },
  // dr-data-{account}-{region}-{s}: 8 + 12 + 1 + 9 + 1 = 31 fixed within 63
  { name: 'VersionedBucket in us-east-1', longest: 32, env: { account: '111111111111', region: 'us-east-1' }, derive: (c, s) => versionedBucketDerivedNames(c, s, true, true) },
  // the same with the longest region code
  { name: 'VersionedBucket, environment unknown', longest: 63 - 22 - LONGEST_REGION, derive: (c, s) => versionedBucketDerivedNames(c, s, true, true) },
  // dr-vault-{s} (9 fixed) within 50
  { name: 'DrBackupVault (backup)', longest: 41, derive: (_, s) => drBackupVaultDerivedNames(s, undefined, false) },
  // dr-copy-vault-{s} (14 fixed) within 50
  { name: 'DrBackupVault (copy destination)', longest: 36, derive: (_, s) => drBackupVaultDerivedNames(s, undefined, true) },
  // dr-selection-{s} (13 fixed) within 50
  { name: 'HourlyBackup', longest: 37, derive: (_, s) => hourlyBackupDerivedNames(s) },
  // dr_audit-{s}_control_compliance (28 fixed) within 256
  { name: 'BackupAudit', longest: 228, derive: (_, s) => backupAuditDerivedNames(s) },
  // dr-drill-restore-completed-{s} (27 fixed) within 64
  { name: 'RestoreDrill', longest: 37, derive: (_, s) => restoreDrillDerivedNames(s) },
  // dr-processor-{s} (13 fixed) within 64
  { name: 'VpcLambda "processor"', longest: 51, derive: (_, s) => vpcLambdaDerivedNames('processor', s) },
  // dr-recovery-monitor-{s} (20 fixed) within 64, function and rule alike
  { name: 'RecoveryPointMonitor', longest: 44, derive: (_, s) => recoveryMonitorDerivedNames(s) },
  // dr-region-health-{s} (17 fixed) within 64 (the rule)
  { name: 'RegionHealthCheck', longest: 47, derive: (_, s) => regionHealthDerivedNames(s) },
  // dr-aurora-freeable-memory-{s} (26 fixed) within 255
  { name: 'DrAlarms', longest: 229, derive: (_, s) => drAlarmsDerivedNames(s) },
  // dr-events-forward-{s} (18 fixed) within 64
  { name: 'EventForwarding', longest: 46, derive: (_, s) => eventForwardingDerivedNames(s, true) },
  // alias/dr-platform-{s} (18 fixed) within 256
  { name: 'SingleRegionDrPlatform', longest: 238, derive: (_, s) => singleRegionPlatformDerivedNames(s) },
  // dr-switch-{s} (10 fixed) within ARC's 32; dr-switch-reports-{account}-{region}-{s} (18 + 12 + 1 + 9 + 1 = 41 fixed) within 63 ties it
  { name: 'RegionSwitchPlan in us-east-1', longest: 22, env: { account: '111111111111', region: 'us-east-1' }, derive: (c, s) => regionSwitchPlanDerivedNames(c, s, true, true) },
  // the plan name alone, with a bucket of the user's
  { name: 'RegionSwitchPlan, own report bucket', longest: 22, derive: (c, s) => regionSwitchPlanDerivedNames(c, s, false, false) },
  // the report bucket with the longest region code
  { name: 'RegionSwitchPlan, environment unknown', longest: 63 - 32 - LONGEST_REGION, derive: (c, s) => regionSwitchPlanDerivedNames(c, s, true, false) },
  // dr-fence-writes-{s} (16 fixed) within 64
  { name: 'RegionSwitchFence', longest: 48, derive: (_, s) => regionSwitchFenceDerivedNames(s) },
  // dr-switch-rehearsal-age-{s} (24 fixed), an EventBridge Scheduler schedule, within 64
  { name: 'RegionSwitchRehearsal', longest: 40, derive: (_, s) => regionSwitchRehearsalDerivedNames(s) },
  // Multi-{s}-secondary-foundation (27 fixed) within 128
  { name: 'MultiRegionDrPlatform "Multi"', longest: 101, derive: (_, s) => multiRegionPlatformDerivedNames(s, 'Multi') },
];

function scopeIn(env?: { account: string; region: string }): Construct {
  return new Construct(new Stack(testApp(), 'Stack', { env }), 'C');
}

/** Room for the suffix under each name's limit: the tightest is the longest suffix allowed. */
function room(names: DerivedName[], suffix: string): number {
  return Math.min(...names.map((n) => n.maxLength - (n.name.length - suffix.length)));
}

describe.each(CASES)('$name', (c) => {
  test('the longest suffix by hand is the one the names allow', () => {
    const suffix = 'a'.repeat(c.longest);
    expect(room(c.derive(scopeIn(c.env), suffix), suffix)).toBe(c.longest);
  });

  const lengths = [1, c.longest - 1, c.longest, c.longest + 1, c.longest + 2, c.longest + 20];
  test.each(lengths)('a suffix of %i characters', (length) => {
    const scope = scopeIn(c.env);
    const suffix = 'a'.repeat(length);
    const names = c.derive(scope, suffix);
    const validate = () => validateEnvironmentSuffix(scope, suffix, (s) => c.derive(scope, s));
    if (length <= c.longest) {
      expect(validate).not.toThrow();
      for (const n of names) {
        expect(n.name.length).toBeLessThanOrEqual(n.maxLength);
      }
      if (length === c.longest) {
        expect(names.some((n) => n.name.length === n.maxLength)).toBe(true);
      }
    } else {
      expect(validate).toThrow(new RegExp(`^\`environmentSuffix\` must be at most ${c.longest} characters here, got: "a{${length}}" \\(${length} characters\\), `
        + 'which makes the .+ name ".+" \\d+ characters long \\(limit \\d+\\)'));
      expect(names.some((n) => n.name.length > n.maxLength)).toBe(true);
    }
  });
});

describe('names that cross regions are derived from one function', () => {
  test.each(['dev', 'prod-blue'])('suffix %j', (s) => {
    // The secondary region's keys carry the aliases the primary's constructs make.
    expect(multiRegionNames(s).auroraKeyAlias).toBe(auroraNames(s).keyAlias);
    expect(multiRegionNames(s).tableKeyAlias).toBe(tableKeyAlias(s));
    expect(multiRegionNames(s).secondaryDashboard('us-west-2')).toBe(`${alarmNames(s).dashboard}-us-west-2`);
    // The platform makes the topic DrAlarms names.
    expect(platformNames(s).alarmTopic).toBe(alarmNames(s).topic);
    expect(platformNames(s).alarmTopicKeyAlias).toBe(alarmNames(s).topicKeyAlias);
    // The region health alarm, rule and probe function share one name.
    const health = regionHealthNames(s);
    expect(health.alarm).toBe(functionNames(health.probe, s).function);
    expect(health.rule).toBe(health.alarm);
  });

  test('the deployed names, spelled out', () => {
    expect(auroraNames('dev')).toMatchObject({
      cluster: 'dr-aurora-dev',
      writer: 'dr-aurora-dev-writer',
      keyAlias: 'alias/dr-aurora-dev',
      logGroup: '/aws/rds/cluster/dr-aurora-dev/postgresql',
      globalCluster: 'dr-aurora-global-dev',
      secret: 'dr-aurora-dev-credentials',
    });
    expect(auroraNames('dev').reader(2)).toBe('dr-aurora-dev-reader-2');
    expect(tableKeyAlias('dev')).toBe('alias/dr-table-dev');
    expect(regionHealthNames('dev').alarm).toBe('dr-region-health-dev');
    expect(alarmNames('dev')).toMatchObject({ topic: 'dr-alarms-dev', topicKeyAlias: 'alias/dr-alarms-dev', dashboard: 'dr-dashboard-dev' });
    expect(functionNames('processor', 'dev')).toEqual({
      function: 'dr-processor-dev', keyAlias: 'alias/dr-processor-dev', logGroup: '/aws/lambda/dr-processor-dev', deadLetterQueue: 'dr-processor-dlq-dev',
    });
  });
});
