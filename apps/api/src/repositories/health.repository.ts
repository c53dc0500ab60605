import type { DataSource } from 'typeorm';
import { poolConfigOf } from '../database/data-source';

export interface DatabaseHealth {
  database: 'up' | 'down';
  migrations: 'applied' | 'pending' | 'unknown';
}

const DOWN: DatabaseHealth = { database: 'down', migrations: 'unknown' };

// The database is "down" when it does not answer within its own short timeout
// (DATABASE_HEALTH_TIMEOUT_MS), whatever the pool's longer ones. Overlapping checks share one probe,
// so a frozen database holds at most one connection for health checks; why it is down goes to
// nobody (the error mapper logs what requests meet).
export class HealthRepository {
  private probing: Promise<DatabaseHealth> | null = null;
  private migrated = false; // once applied, this instance's migrations stay applied

  constructor(private readonly dataSource: DataSource) {}

  async check(): Promise<DatabaseHealth> {
    this.probing ??= this.probe().finally(() => (this.probing = null));
    const probe = this.probing;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<DatabaseHealth>((resolve) => {
      timer = setTimeout(() => resolve(DOWN), poolConfigOf(this.dataSource).healthTimeoutMs);
    });
    try {
      return await Promise.race([probe, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  private async probe(): Promise<DatabaseHealth> {
    try {
      await this.dataSource.query('SELECT 1');
      if (!this.migrated) this.migrated = !(await this.dataSource.showMigrations());
      return { database: 'up', migrations: this.migrated ? 'applied' : 'pending' };
    } catch {
      return DOWN;
    }
  }
}
