export * from './restore-drill';
export * from './restore-drills';
export * from './restore-drill-props';
