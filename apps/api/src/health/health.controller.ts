import { Controller, Get, Inject, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { DataSource } from 'typeorm';

@Controller()
export class HealthController {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  // 200 once the database answers and no migration is pending; 503 otherwise.
  @Get('health')
  async health(@Res() reply: FastifyReply): Promise<void> {
    try {
      await this.dataSource.query('SELECT 1');
      const pending = await this.dataSource.showMigrations();
      const body = { status: pending ? 'migrating' : 'ok', database: 'up', migrations: pending ? 'pending' : 'applied' };
      await reply.status(pending ? 503 : 200).send(body);
    } catch (error) {
      await reply.status(503).send({ status: 'error', database: 'down', message: (error as Error).message });
    }
  }
}
