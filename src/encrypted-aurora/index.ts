export * from './encrypted-aurora';
