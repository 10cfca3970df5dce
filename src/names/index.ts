/**
 * Every physical name the library deploys, each pattern written once, next
 * to its AWS length limit. Internal: not exported from the package (src/index.ts).
 * Constructs and composites import their names from here, and each region
 * derives the other region's names from the suffix with the same functions,
 * so a name that crosses regions cannot drift. Imports nothing from a
 * construct folder.
 */
export * from './limits';
export * from './validate';
export * from './alarms';
export * from './aurora';
export * from './backup';
export * from './buckets';
export * from './drills';
export * from './events';
export * from './functions';
export * from './platforms';
export * from './region-switch';
export * from './tables';
