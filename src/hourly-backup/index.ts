export * from './copy-destination';
export * from './hourly-backup';
export * from './options';
export * from './backup-coverage';
