import { ProtectedResourceType } from '../stores/protected-resource';

/**
 * A restore testing plan whose validated drills a RecoveryPointMonitor measures.
 */
export interface DrillPlanMeasurement {
  /** The plan's ARN, in the monitor's region. */
  readonly restoreTestingPlanArn: string;

  /**
   * The plan's `DrillPlan` dimension and its part of the overdue alarms'
   * names: lowercase letters, digits and hyphens, at most 32 characters.
   * RestoreDrill names its plans `snapshot` and `continuous`.
   */
  readonly name: string;

  /**
   * The resource types the plan drills.
   *
   * @default - the monitored resources' types among Aurora, DynamoDB and S3
   */
  readonly resourceTypes?: ProtectedResourceType[];
}
