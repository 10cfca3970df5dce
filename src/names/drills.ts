import { functionNames } from './functions';
import { DerivedName, NAME_LIMITS, physicalName } from './limits';

/** Every physical name RestoreDrill derives from the suffix. */
export function restoreDrillNames(suffix: string) {
  return {
    /** The key of the drills' logs, environment and queues. */
    keyAlias: `alias/${physicalName('dr-drill', suffix)}`,
    /** The restore testing plan, `dr_drills_{suffix}` (underscores: the API refuses hyphens). */
    plan: physicalName('dr_drills', suffix).replace(/-/g, '_'),
    /**
     * The restore testing plan of continuous (PITR) recovery points, `dr_pitr_{suffix}`:
     * short enough that it leaves the longest suffix RestoreDrill accepts (37) as it was.
     */
    continuousPlan: physicalName('dr_pitr', suffix).replace(/-/g, '_'),
    /** The subnet group restored clusters are placed in. */
    subnetGroup: physicalName('dr-drill', suffix),
    /** The smoke query, in the VPC. */
    smoke: functionNames('drill-smoke', suffix),
    /** The validator, outside the VPC. */
    validator: functionNames('drill-validator', suffix),
    /** The rule that starts the validator when a restore job completes. */
    restoreCompletedRule: physicalName('dr-drill-restore-completed', suffix),
  };
}

/** The names RestoreDrill derives, for the length check. */
export function restoreDrillDerivedNames(suffix: string): DerivedName[] {
  const n = restoreDrillNames(suffix);
  return [
    // With hyphens, as messages have always quoted it: the underscores leave the length as it is.
    { resource: 'restore testing plan', name: physicalName('dr_drills', suffix), maxLength: NAME_LIMITS.restoreTestingPlan },
    { resource: 'restore testing plan', name: physicalName('dr_pitr', suffix), maxLength: NAME_LIMITS.restoreTestingPlan },
    { resource: 'Lambda function', name: n.validator.function, maxLength: NAME_LIMITS.lambdaFunction },
    { resource: 'SQS queue', name: n.validator.deadLetterQueue, maxLength: NAME_LIMITS.sqsQueue },
    { resource: 'EventBridge rule', name: n.restoreCompletedRule, maxLength: NAME_LIMITS.eventsRule },
    { resource: 'KMS alias', name: n.keyAlias, maxLength: NAME_LIMITS.kmsAlias },
  ];
}
