export * from './dr-alarms/index';
export * from './encrypted-aurora/index';
export * from './hourly-backup/index';
export * from './pitr-table/index';
export * from './single-region-dr-platform/index';
export * from './versioned-bucket/index';
export * from './vpc-lambda/index';
