import type { DataSource, Logger } from 'typeorm';
import { createDataSource } from '../database/data-source';

// Records every SQL statement a DataSource sends (transaction control included).
export class SqlRecorder implements Logger {
  statements: string[] = [];

  logQuery(query: string): void {
    this.statements.push(query);
  }

  logQueryError(): void {}
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}

  // The statements `work` sent.
  async during(work: () => Promise<unknown>): Promise<string[]> {
    const start = this.statements.length;
    await work();
    return this.statements.slice(start);
  }
}

export async function openRecordedDataSource(): Promise<{ ds: DataSource; recorder: SqlRecorder }> {
  const recorder = new SqlRecorder();
  const ds = createDataSource(process.env.TEST_DATABASE_URL!, { logger: recorder, logging: ['query'] });
  await ds.initialize();
  return { ds, recorder };
}
