import { defineConfig } from 'drizzle-kit';

// `npm run db:generate` turns changes of the tables in server/db/schema/ (one file per subsystem)
// into a new ordered SQL migration.
export default defineConfig({
  dialect: 'postgresql',
  schema: './server/db/schema/*.ts',
  out: './server/db/migrations',
});
