export * from './region-peering';
