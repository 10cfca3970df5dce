export * from './region-switch-plan';
export * from './region-switch-database';
export * from './region-switch-fence';
export * from './region-switch';
export * from './region-switch-rehearsal';
export * from './region-switch-rehearsal-props';
export * from './region-switch-trigger';
