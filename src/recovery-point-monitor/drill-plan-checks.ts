import { Construct } from 'constructs';
import { DrillPlanMeasurement } from './drill-plans';
import { PROTECTED_BACKUP_RESOURCE_TYPES } from '../hourly-backup/backup-resource-types';
import { validateArn } from '../private/arn';
import { DrValidationError, quote } from '../private/validation';
import { ProtectedResourceType } from '../stores/protected-resource';

const PLAN_NAME = /^[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?$/;
const DRILLED_TYPES: readonly ProtectedResourceType[] = PROTECTED_BACKUP_RESOURCE_TYPES;

/** Checks each measured plan: its ARN, a unique name, and types AWS Backup restore testing drills. */
export function validateDrillPlans(scope: Construct, plans: DrillPlanMeasurement[]): DrillPlanMeasurement[] {
  plans.forEach((plan, i) => {
    const prop = `drillPlans[${i}]`;
    validateArn(scope, `${prop}.restoreTestingPlanArn`, plan.restoreTestingPlanArn, {
      service: 'backup',
      resource: /^restore-testing-plan:[A-Za-z0-9_][A-Za-z0-9_-]*$/,
      form: 'arn:{partition}:backup:{region}:{account}:restore-testing-plan:{name}-{id}',
      sameRegionReason: 'the monitor lists the restore jobs of its own region',
    });
    if (!PLAN_NAME.test(plan.name)) {
      throw new DrValidationError(scope, `\`${prop}.name\` must be lowercase letters, digits and hyphens, start and end with a letter or digit and be at most 32 characters, got: ${quote(plan.name)}`);
    }
    if (plans.findIndex((p) => p.name === plan.name) !== i) {
      throw new DrValidationError(scope, `\`${prop}.name\` ${quote(plan.name)} is already the name of another measured plan: each plan needs its own`);
    }
    if (plan.resourceTypes !== undefined && plan.resourceTypes.length === 0) {
      throw new DrValidationError(scope, `\`${prop}.resourceTypes\` is empty: leave it out to measure the monitored resources' types, or list ${DRILLED_TYPES.join(', ')}`);
    }
    for (const type of plan.resourceTypes ?? []) {
      if (!DRILLED_TYPES.includes(type)) {
        throw new DrValidationError(scope, `\`${prop}.resourceTypes\` may hold ${DRILLED_TYPES.join(', ')}, got: ${quote(type)}`);
      }
    }
  });
  // Same ARN twice would publish the same drills under two names.
  const arns = plans.map((p) => p.restoreTestingPlanArn);
  const twice = arns.find((a, i) => arns.indexOf(a) !== i);
  if (twice !== undefined) {
    throw new DrValidationError(scope, `\`drillPlans\` lists the restore testing plan ${quote(twice)} twice: measure each plan once`);
  }
  return plans.map((p) => ({ ...p, resourceTypes: p.resourceTypes ? [...p.resourceTypes] : undefined }));
}
