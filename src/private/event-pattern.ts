import { Token } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import { IConstruct } from 'constructs';
import { DrValidationError } from './validation';

/**
 * Refuses an event pattern EventBridge would refuse at deploy ("Event
 * pattern is not valid"): an empty array anywhere (EventBridge matches a
 * field against the values listed, and an empty list is an error, not "match
 * nothing"), an empty object under a field, or a field whose value is neither
 * a list nor an object of fields. Tokens are skipped.
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html
 */
export function validateEventPattern(scope: IConstruct, prop: string, pattern: events.EventPattern | undefined): void {
  if (pattern === undefined) return;
  walk(scope, prop, pattern as Record<string, unknown>);
}

/** Walks a pattern: fields hold lists or objects of fields; inside a list, objects are operators (`{ prefix: 'a' }`) whose values are free. */
function walk(scope: IConstruct, path: string, value: unknown, inOperator = false): void {
  if (Token.isUnresolved(value)) return;
  if (Array.isArray(value)) {
    if (value.length === 0) {
      throw new DrValidationError(scope, `\`${path}\` must list at least one value: EventBridge refuses an empty array in a pattern, got: []`);
    }
    value.forEach((item, i) => {
      if (item !== null && typeof item === 'object') walk(scope, `${path}[${i}]`, item, true);
    });
    return;
  }
  if (inOperator) {
    if (value !== null && typeof value === 'object') {
      for (const [key, v] of Object.entries(value as Record<string, unknown>)) walk(scope, `${path}.${key}`, v, true);
    }
    return;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    if (entries.length === 0) {
      throw new DrValidationError(scope, `\`${path}\` must name at least one field: EventBridge refuses an empty object in a pattern, got: {}`);
    }
    for (const [key, v] of entries) {
      if (v === null || (typeof v !== 'object' && !Token.isUnresolved(v))) {
        throw new DrValidationError(scope,
          `\`${path}.${key}\` must be a list of values or an object of fields, as EventBridge patterns are written, got: ${JSON.stringify(v)}`);
      }
      walk(scope, `${path}.${key}`, v);
    }
  }
}
