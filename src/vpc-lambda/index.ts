export * from './vpc-lambda';
export * from './data-access';
export * from './platform-function-options';
export * from './vpc-lambda-options';
