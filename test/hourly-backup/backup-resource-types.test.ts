import { ProtectedResourceType } from '../../src';
import { BACKUP_RESOURCE_TYPES, PROTECTED_BACKUP_RESOURCE_TYPES } from '../../src/hourly-backup/backup-resource-types';
import { MAX_RESOURCE_TYPES } from '../../src/private/backup-metrics';

test('the protected types are the members of ProtectedResourceType that AWS Backup names: all but OTHER and LAMBDA', () => {
  const backupTypes = Object.values(ProtectedResourceType).filter((t) => t !== ProtectedResourceType.OTHER && t !== ProtectedResourceType.LAMBDA);
  expect([...PROTECTED_BACKUP_RESOURCE_TYPES].sort()).toEqual(backupTypes.sort());
});

test('every AWS Backup type the library names starts with the protected ones, once each, and fits one alarm\'s metric math', () => {
  expect(BACKUP_RESOURCE_TYPES.slice(0, PROTECTED_BACKUP_RESOURCE_TYPES.length)).toEqual([...PROTECTED_BACKUP_RESOURCE_TYPES]);
  expect(new Set(BACKUP_RESOURCE_TYPES).size).toBe(BACKUP_RESOURCE_TYPES.length);
  expect(BACKUP_RESOURCE_TYPES.length).toBeLessThanOrEqual(MAX_RESOURCE_TYPES);
});
