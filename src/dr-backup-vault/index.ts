export * from './dr-backup-vault';
