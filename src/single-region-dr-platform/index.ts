export * from './single-region-dr-platform';
