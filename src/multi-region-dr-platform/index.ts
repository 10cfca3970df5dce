export * from './multi-region-dr-platform';
export * from './multi-region-dr-platform-props';
export * from './routing-control';
