export * from './restore-drill';
export * from './restore-drills';
