import { Controller, Get, Inject, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { HealthRepository } from '../repositories/health.repository';
import { ShutdownState } from '../shutdown/shutdown-state';
import { readiness } from './readiness';

// No token and no rate limit on these paths (graphql/http-guards.ts guards /graphql only).
@Controller()
export class HealthController {
  constructor(
    @Inject(HealthRepository) private readonly health: HealthRepository,
    @Inject(ShutdownState) private readonly shutdown: ShutdownState,
  ) {}

  // 200 once the database answers and no migration is pending; 503 otherwise.
  @Get('health')
  async check(@Res() reply: FastifyReply): Promise<void> {
    const { database, migrations } = await this.health.check();
    const status = database === 'down' ? 'error' : migrations === 'pending' ? 'migrating' : 'ok';
    await reply.status(status === 'ok' ? 200 : 503).send({ status, database, migrations });
  }

  // Liveness: the process answers; no database call, so a database outage never gets it restarted.
  @Get('health/live')
  async live(@Res() reply: FastifyReply): Promise<void> {
    await reply.status(200).send({ status: 'ok' });
  }

  // Readiness (readiness.ts): 503 with the reason when not migrated, the database is not answering
  // or shutdown has begun.
  @Get('health/ready')
  async ready(@Res() reply: FastifyReply): Promise<void> {
    const { ready, body } = await readiness(this.health, this.shutdown);
    await reply.status(ready ? 200 : 503).send(body);
  }
}
