export * from './options';
export * from './versioned-bucket';
