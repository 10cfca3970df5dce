export * from './versioned-bucket';
