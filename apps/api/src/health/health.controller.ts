import { Controller, Get, Inject, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { HealthRepository } from '../repositories/health.repository';
import { ShutdownState } from '../shutdown/shutdown-state';

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

  // Readiness: send traffic here only while migrated, the database answers within
  // DATABASE_HEALTH_TIMEOUT_MS, and no shutdown has begun.
  @Get('health/ready')
  async ready(@Res() reply: FastifyReply): Promise<void> {
    if (this.shutdown.draining) {
      await reply.status(503).send({ status: 'unavailable', reason: 'shutting down' });
      return;
    }
    const { database, migrations } = await this.health.check();
    const reason = database === 'down' ? 'database not answering' : migrations !== 'applied' ? 'migrations pending' : null;
    if (reason || this.shutdown.draining) {
      await reply.status(503).send({ status: 'unavailable', reason: reason ?? 'shutting down', database, migrations });
      return;
    }
    await reply.status(200).send({ status: 'ready', database, migrations });
  }
}
