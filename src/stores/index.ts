export * from './cluster-connection';
export * from './platform-stores';
export * from './protected-resource';
