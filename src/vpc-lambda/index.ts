export * from './vpc-lambda';
export * from './data-access';
