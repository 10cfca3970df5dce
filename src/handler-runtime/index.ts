export * from './handler-runtime';
