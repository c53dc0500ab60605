import type { DataSource } from 'typeorm';
import { createDataSource } from '../database/data-source';
import { HealthRepository } from '../repositories/health.repository';
import { ShutdownState } from '../shutdown/shutdown-state';
import { openDataSource } from '../test-support/int-helpers';
import { readiness } from './readiness';

// GET /health/ready's verdict, on the real test database.
describe(readiness.name, () => {
  let ds: DataSource;

  beforeAll(async () => {
    ds = await openDataSource();
  });

  afterAll(async () => {
    await ds?.destroy();
  });

  it('does answer ready when migrated and the database answers', async () => {
    expect(await readiness(new HealthRepository(ds), new ShutdownState())).toEqual({
      ready: true,
      body: { status: 'ready', database: 'up', migrations: 'applied' },
    });
  });

  it('does answer unavailable, shutting down, from the moment shutdown began', async () => {
    const shutdown = new ShutdownState();
    shutdown.begin('SIGTERM received');
    expect(await readiness(new HealthRepository(ds), shutdown)).toEqual({
      ready: false,
      body: { status: 'unavailable', reason: 'shutting down' },
    });
  });

  it('does answer unavailable, naming the database, when it does not answer', async () => {
    const unreachable = createDataSource('postgres://postgres@127.0.0.1:1/nowhere_test');
    expect(await readiness(new HealthRepository(unreachable), new ShutdownState())).toEqual({
      ready: false,
      body: { status: 'unavailable', reason: 'database not answering', database: 'down', migrations: 'unknown' },
    });
  });
});
