import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { DrAlarms } from '../dr-alarms';
import { GlobalPitrTableOptions } from '../global-pitr-table';
import { tableKeyAlias, tableName } from '../names';
import { DEFAULT_PARTITION_KEY } from '../private/dynamodb-names';
import { DrValidationError, quote } from '../private/validation';
import { RegionSwitchPlan, RegionSwitchRehearsal, RegionSwitchRehearsalMarkerDatabase, RegionSwitchRehearsalOptions } from '../region-switch-plan';

/**
 * The rehearsal of the platform's plan (`RegionSwitch.plan({ rehearsal })`),
 * in the plan's stack, its markers in the platform's global table and, by
 * the verify step's functions, in each region's Aurora database, and its
 * widgets on the secondary's dashboard. Refuses a table the marker cannot go
 * in: a key attribute that is not a string, or the app's own key (the
 * rehearsal names the table's keys by the platform's alias in both regions).
 */
export function linkRehearsal(plan: RegionSwitchPlan, options: RegionSwitchRehearsalOptions,
  link: {
    readonly suffix: string;
    readonly removalPolicy?: RemovalPolicy;
    readonly table?: GlobalPitrTableOptions;
    readonly markerDatabase: RegionSwitchRehearsalMarkerDatabase;
  },
  secondary: { readonly stack: Stack; readonly alarmTopic: sns.ITopic; readonly encryptionKey: kms.IKey; readonly alarms: DrAlarms },
): RegionSwitchRehearsal {
  // GlobalPitrTable's default key.
  const partitionKey = link.table?.partitionKey ?? DEFAULT_PARTITION_KEY;
  const sortKey = link.table?.sortKey;
  for (const [prop, key] of [['table.partitionKey', partitionKey], ['table.sortKey', sortKey]] as const) {
    if (key && key.type !== dynamodb.AttributeType.STRING) {
      throw new DrValidationError(plan,
        `\`regionSwitch\` with a rehearsal needs \`${prop}\` of type STRING (its marker's key is a string), got: ${quote(key.name)} of type ${key.type}`);
    }
  }
  if (link.table?.encryptionKey) {
    throw new DrValidationError(plan,
      `\`regionSwitch\` with a rehearsal needs the global table's own keys (${tableKeyAlias(link.suffix)} in each region), not \`table.encryptionKey\`: `
      + 'use RegionSwitchRehearsal directly with `markerTable.encryptionKeyAlias` naming an alias your key has in both regions');
  }
  const rehearsal = new RegionSwitchRehearsal(secondary.stack, 'RegionSwitchRehearsal', {
    ...options,
    environmentSuffix: link.suffix,
    plan,
    // The platform's global table: the same name and key alias in both regions.
    markerTable: {
      tableName: tableName(link.suffix),
      partitionKeyName: partitionKey.name,
      sortKeyName: sortKey?.name,
      encryptionKeyAlias: tableKeyAlias(link.suffix),
    },
    markerDatabase: link.markerDatabase,
    alarmTopic: secondary.alarmTopic,
    encryptionKey: secondary.encryptionKey,
    removalPolicy: link.removalPolicy,
  });
  secondary.alarms.dashboard.addWidgets(...rehearsal.widgets());
  return rehearsal;
}
