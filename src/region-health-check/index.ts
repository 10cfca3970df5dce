export * from './region-health-check';
