import { createDataSource } from './data-source';

describe('migrations', () => {
  it('leaves no difference between the entities and the migrated schema', async () => {
    const dataSource = createDataSource(process.env.TEST_DATABASE_URL!);
    await dataSource.initialize();
    try {
      const pending = await dataSource.driver.createSchemaBuilder().log();
      expect(pending.upQueries.map((q) => q.query)).toEqual([]);
    } finally {
      await dataSource.destroy();
    }
  });
});
