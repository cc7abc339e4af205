export * from './cron.ts';
export * from './run-id.ts';
export * from './parameters.ts';
