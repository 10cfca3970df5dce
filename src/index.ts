export * from './encrypted-aurora/index';
export * from './pitr-table/index';
export * from './versioned-bucket/index';
