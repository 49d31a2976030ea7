export * from './schema.ts';
export * from './load.ts';
export { MIGRATIONS, OLDEST_SUPPORTED_VERSION, migrateV1toV2 } from './migrations.ts';
