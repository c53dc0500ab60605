import { createDataSource, MIGRATIONS } from '../../apps/api/src/database/data-source';
import { runMigrations } from '../../apps/api/src/database/database-bootstrap';
import { PgServer } from './support/pg-cluster';

// Several instances starting at once on an empty database (docs/OPERATIONS.md, "Upgrades"): each
// runs the migrations at start; under the advisory lock one applies them all, the others wait and
// apply none, and every one of them starts.

const INSTANCES = 4;

describe('migrations when several instances start at once', () => {
  let pg: PgServer;

  beforeAll(async () => {
    pg = await PgServer.primary('migrations');
    await pg.start();
    await pg.createDatabase('migrations_ops_test');
  }, 120_000);

  afterAll(async () => pg?.destroy());

  it('applies each migration once, and every instance starts', async () => {
    const dataSources = Array.from({ length: INSTANCES }, () => createDataSource(pg.url('migrations_ops_test')));
    await Promise.all(dataSources.map((dataSource) => dataSource.initialize()));
    try {
      const results = await Promise.allSettled(dataSources.map((dataSource) => runMigrations(dataSource)));
      expect(results.map((result) => result.status)).toEqual(Array(INSTANCES).fill('fulfilled'));
      const applied = results.map((result) => (result as PromiseFulfilledResult<number>).value).sort((a, b) => b - a);
      expect(applied).toEqual([MIGRATIONS.length, ...Array(INSTANCES - 1).fill(0)]);
    } finally {
      await Promise.all(dataSources.map((dataSource) => dataSource.destroy()));
    }
    const rows = await pg.query<{ name: string }>('migrations_ops_test', 'SELECT name FROM migrations ORDER BY id');
    expect(rows.map((row) => row.name)).toEqual(MIGRATIONS.map((migration) => migration.name));
  });
});
