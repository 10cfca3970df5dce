export * from './event-forwarding';
