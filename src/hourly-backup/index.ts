export * from './hourly-backup';
export * from './protected-resource';
