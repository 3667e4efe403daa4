export { openDb, redact, DatabaseError, type Db, type OpenDb } from './client.ts';
export * as schema from './schema.ts';
