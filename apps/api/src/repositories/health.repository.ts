import type { DataSource } from 'typeorm';

export interface DatabaseHealth {
  database: 'up' | 'down';
  migrations: 'applied' | 'pending' | 'unknown';
}

export class HealthRepository {
  constructor(private readonly dataSource: DataSource) {}

  async check(): Promise<DatabaseHealth> {
    try {
      await this.dataSource.query('SELECT 1');
      return { database: 'up', migrations: (await this.dataSource.showMigrations()) ? 'pending' : 'applied' };
    } catch {
      return { database: 'down', migrations: 'unknown' };
    }
  }
}
