// Placeholder replaced by the database bootstrap (see apps/api/src/database).
export default async function globalSetup(): Promise<void> {}
