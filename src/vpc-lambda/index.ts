export * from './vpc-lambda';
