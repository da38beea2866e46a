/** The migration command's one setting: the database to migrate (required). */
export function migrateEnv(): { databaseUrl: string | undefined } {
  return { databaseUrl: process.env.DATABASE_URL };
}
