export * from './global-pitr-table';
