import { Template } from 'aws-cdk-lib/assertions';
import { DrAlarms } from '../../src';
import { testStack } from '../util';

test('the dashboard is dr-dashboard-{suffix} unless dashboardName is given', () => {
  const stack = testStack();
  new DrAlarms(stack, 'Default', { environmentSuffix: 'dev' });
  new DrAlarms(stack, 'Named', { environmentSuffix: 'other', dashboardName: 'dr-dashboard-dev-us-west-2' });
  const names = Object.values<any>(Template.fromStack(stack).findResources('AWS::CloudWatch::Dashboard')).map((d) => d.Properties.DashboardName).sort();
  expect(names).toEqual(['dr-dashboard-dev', 'dr-dashboard-dev-us-west-2']);
});

test.each([
  ['', 'empty'],
  ['x'.repeat(256), 'too long'],
  ['dr dashboard', 'a space'],
  ['dr/dashboard', 'a slash'],
])('refuses the dashboardName %j (%s)', (dashboardName) => {
  expect(() => new DrAlarms(testStack(), 'Alarms', { environmentSuffix: 'dev', dashboardName }))
    .toThrow(/`dashboardName` must be 1 to 255 letters, digits, hyphens and underscores/);
});

test.each([['a'], ['x'.repeat(255)], ['Dr_Dash-1']])('accepts the dashboardName %j', (dashboardName) => {
  expect(() => new DrAlarms(testStack(), 'Alarms', { environmentSuffix: 'dev', dashboardName })).not.toThrow();
});
