import { defineConfig } from 'drizzle-kit';

// Migrations are generated from db/schema.ts (`npm run db:generate`) and applied automatically by
// every CLI command (db/client.ts), so users never run drizzle-kit themselves.
export default defineConfig({
  dialect: 'sqlite',
  schema: './db/schema.ts',
  out: './db/migrations',
  dbCredentials: { url: process.env.DATABASE_URL ?? 'file:data/factdesk.db' },
});
