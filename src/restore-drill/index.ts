export * from './restore-drill';
