import { Duration } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { MultiRegionDrPlatform, MultiRegionDrPlatformProps } from '../../src';
import { testApp } from '../util';

const ACCOUNT = '123456789012';
const PRIMARY = { account: ACCOUNT, region: 'us-east-1' };
const SECONDARY = { account: ACCOUNT, region: 'us-west-2' };

function make(props: Partial<MultiRegionDrPlatformProps> = {}) {
  const app = testApp();
  const platform = new MultiRegionDrPlatform(app, 'Payments', { environmentSuffix: 'prod', primary: PRIMARY, secondary: SECONDARY, ...props });
  const assembly = app.synth();
  const template = (stackName: string) => Template.fromJSON(assembly.getStackByName(stackName).template);
  const warnings = [platform.primaryStack, platform.secondaryStack].flatMap((s) => assembly.getStackByName(s.stackName).messages)
    .filter((m) => m.level === 'warning').map((m) => String(m.entry.data));
  return { platform, primary: template('Payments-prod-primary'), secondary: template('Payments-prod-secondary'), warnings };
}

/** The rds.global_db_rpo values of a template's cluster parameter groups. */
const globalDbRpo = (t: Template) => Object.values<any>(t.findResources('AWS::RDS::DBClusterParameterGroup'))
  .map((g) => g.Properties.Parameters['rds.global_db_rpo']);

const auroraLine = (platform: MultiRegionDrPlatform) => platform.regionLossCoverage.find((l) => l.resourceType === 'Aurora')!;

describe('rds.global_db_rpo is opt-in', () => {
  test('by default no parameter group sets it, Aurora\'s region loss is unknown and not held to regionRpo, and nothing warns', () => {
    const { platform, primary, secondary, warnings } = make();
    expect([...globalDbRpo(primary), ...globalDbRpo(secondary)]).toEqual([undefined, undefined]);
    const line = auroraLine(platform);
    expect(line.heldToRegionRpo).toBe(false);
    expect(line.worstCaseDataLoss).toBeUndefined();
    expect(line.unknownReason).toMatch(/rds\.global_db_rpo \(Aurora PostgreSQL\) is not set/);
    expect(warnings.join('\n')).not.toContain('rds.global_db_rpo');
  });

  // regionRpo is whole minutes from 15 (S3 Replication Time Control's floor) to 1,440; the parameter is its seconds.
  test.each([15, 16, 30, 60, 240, 1440])('with enforceAuroraRegionRpo and a regionRpo of %i minutes, both members bound it and the loss is known', (minutes) => {
    const { platform, primary, secondary, warnings } = make({ enforceAuroraRegionRpo: true, regionRpo: Duration.minutes(minutes) });
    // The primary's group holds the bound; the secondary's keeps it after a switch makes it the primary.
    expect(globalDbRpo(primary)).toEqual([String(minutes * 60)]);
    expect(globalDbRpo(secondary)).toEqual([String(minutes * 60)]);
    const line = auroraLine(platform);
    expect(line.heldToRegionRpo).toBe(true);
    expect(line.worstCaseDataLoss?.toSeconds()).toBe(minutes * 60);
    expect(line.unknownReason).toBeUndefined();
    expect(line.mechanism).toMatch(/bounded by rds\.global_db_rpo .*commits on the primary wait while every secondary lags more than that/);
    // The trade-off is said at synth, once, with the id a user acknowledges it by.
    const said = warnings.filter((w) => w.includes('rds.global_db_rpo'));
    expect(said).toHaveLength(1);
    expect(said[0]).toMatch(new RegExp(`sets rds\\.global_db_rpo to ${minutes * 60} seconds: commits on the primary's writer wait`));
    expect(said[0]).toContain('[ack: cdk-dr-platform:auroraRegionRpoBlocksCommits]');
  });

  test('the other stores stay as they were: DynamoDB and S3 are still unknown', () => {
    const { platform } = make({ enforceAuroraRegionRpo: true });
    for (const type of ['DynamoDB', 'S3']) {
      const line = platform.regionLossCoverage.find((l) => l.resourceType === type)!;
      expect(line.heldToRegionRpo).toBe(false);
      expect(line.unknownReason).toBeDefined();
    }
  });
});
