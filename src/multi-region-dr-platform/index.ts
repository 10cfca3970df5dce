export * from './multi-region-dr-platform';
