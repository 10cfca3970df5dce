export * from './aurora-global-secondary';
