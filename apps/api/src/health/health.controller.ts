import { Controller, Get, Inject, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { HealthRepository } from '../repositories/health.repository';

@Controller()
export class HealthController {
  constructor(@Inject(HealthRepository) private readonly health: HealthRepository) {}

  // 200 once the database answers and no migration is pending; 503 otherwise.
  @Get('health')
  async check(@Res() reply: FastifyReply): Promise<void> {
    const { database, migrations } = await this.health.check();
    const status = database === 'down' ? 'error' : migrations === 'pending' ? 'migrating' : 'ok';
    await reply.status(status === 'ok' ? 200 : 503).send({ status, database, migrations });
  }
}
