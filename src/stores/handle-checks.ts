import { Construct } from 'constructs';
import { ProtectedResource, ProtectedResourceType } from './protected-resource';
import { DrValidationError, quote } from '../private/validation';

/**
 * The construct behind a store handle given to a prop, checked to be a
 * ProtectedResource of `type` made from its construct: the drill and the
 * health check reach the store itself, which an ARN alone does not give.
 * Refusals name the prop, what was given and the factories that make one.
 */
export function storeConstruct<T>(
  scope: Construct, prop: string, handle: ProtectedResource | undefined, type: ProtectedResourceType, factories: string,
  construct: (r: ProtectedResource) => T | undefined,
): T | undefined {
  if (handle === undefined) {
    return undefined;
  }
  if (!(handle instanceof ProtectedResource)) {
    throw new DrValidationError(scope, `\`${prop}\` must be a ProtectedResource (${factories}), got: ${typeof handle === 'object' ? 'another object' : quote(String(handle))}`);
  }
  const value = construct(handle);
  if (handle.resourceType !== type || value === undefined) {
    throw new DrValidationError(scope,
      `\`${prop}\` must be a ${type} handle made from its construct (${factories}), got: ${handle.resourceType} ${quote(handle.name)}`
      + (handle.resourceType === type ? ' given by its ARN alone' : ''));
  }
  return value;
}

/** The factories of each kind of handle, as refusals name them. */
export const HANDLE_FACTORIES = {
  database: 'ProtectedResource.fromEncryptedAurora or fromDatabaseCluster',
  table: 'ProtectedResource.fromPitrTable or fromTable',
  bucket: 'ProtectedResource.fromVersionedBucket or fromBucket',
};
