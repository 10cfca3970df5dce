export * from './backup-audit';
