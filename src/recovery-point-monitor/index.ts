export * from './recovery-point-monitor';
