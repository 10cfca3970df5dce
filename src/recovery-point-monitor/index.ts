export * from './recovery-point-monitor';
export * from './drill-plans';
