export * from './copy-destination';
export * from './hourly-backup';
export * from './backup-coverage';
