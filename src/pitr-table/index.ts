export * from './pitr-table';
