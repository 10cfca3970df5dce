export * from './failover-routing';
