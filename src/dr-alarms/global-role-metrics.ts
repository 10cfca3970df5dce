/**
 * The contract between the global database role function (which publishes
 * in CloudWatch embedded metric format) and the role-aware lag alarms of
 * DrAlarms.monitorGlobalDatabase.
 */

/** The namespace of the role metric. */
export const GLOBAL_ROLE_NAMESPACE = 'CdkDrPlatform/AuroraGlobal';

/** The `service` dimension Powertools metrics adds to every metric. */
export const GLOBAL_ROLE_SERVICE = 'aurora-global-role';

/** The global cluster's identifier, the dimension that tells two watched global databases apart. */
export const DIMENSION_GLOBAL_CLUSTER = 'GlobalCluster';

/**
 * 1 while this region's member of the global cluster is its writer, 0 while
 * it is a secondary (dimensions service, GlobalCluster). Nothing is published
 * when the role is not known: the cluster is not a member, or the API failed.
 */
export const METRIC_CLUSTER_IS_WRITER = 'ClusterIsWriter';
