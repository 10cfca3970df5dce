/**
 * Class 8 of issue 18 (values AWS rejects pass through), for the restore
 * drill's schedule: restore testing takes a six-field AWS cron expression
 * with exactly one of day-of-month and day-of-week `?`, and no rate. Sweeps
 * cron shapes, written with events.Schedule.expression as a user would to
 * get past Schedule.cron; the rule is written out here on its own.
 */
import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import { attempt } from './harness';
import { DrBackupVault, PitrTable, ProtectedResource, RestoreDrill } from '../../src';
import { isolatedVpc } from '../util';

const ENV = { account: '111111111111', region: 'us-east-1' };

function awsCronOk(expression: string): boolean {
  const m = /^cron\((.*)\)$/.exec(expression);
  if (!m) return false;
  const f = m[1].trim().split(/\s+/);
  return f.length === 6 && (f[2] === '?') !== (f[4] === '?') && !f.some((x) => /[^0-9A-Za-z,\-*/?#]/.test(x));
}

const EXPRESSIONS = [
  'cron(0 3 ? * SUN *)', 'cron(0 3 1 * ? *)', 'cron(30 2 ? * MON-FRI *)', 'cron(0 */6 ? * * *)', 'cron(0 3 L * ? *)',
  'cron(0 3 * * ? *)', 'cron(0 3 ? * 1#2 *)',
  'cron(0 3 * * * *)', 'cron(0 3 ? * ? *)', 'cron(0 3 * * SUN)', 'cron(0 3 ? * SUN * *)', 'cron(0 3 1 * SUN *)',
  'rate(7 days)', 'cron()', 'cron(0 3 ? * SUN% *)', '0 3 ? * SUN *',
];

test.each(EXPRESSIONS)('%s', (expression) => {
  const verdict = attempt((stack) => new RestoreDrill(stack, 'Drill', {
    environmentSuffix: 'dev',
    vpc: isolatedVpc(stack),
    vault: new DrBackupVault(stack, 'Vault', { environmentSuffix: 'dev' }).vault,
    table: ProtectedResource.fromPitrTable(new PitrTable(stack, 'Table', { environmentSuffix: 'dev' })),
    schedule: events.Schedule.expression(expression),
    scheduleInterval: Duration.days(7),
  }), { env: ENV });
  expect(verdict.accepted).toBe(awsCronOk(expression));
  if (verdict.accepted) {
    const plan = Object.values<any>(verdict.template.Resources).find((r) => r.Type === 'AWS::Backup::RestoreTestingPlan');
    expect(plan.Properties.ScheduleExpression).toBe(expression);
  } else {
    expect(verdict.message).toMatch(/^`schedule` (must|has)/);
  }
});
