import type { MigrationInterface, QueryRunner } from 'typeorm';

// An idempotency key belongs to the user who sent it: another user's request with the same key on
// the same task is a request of its own, never answered with the first user's result.
export class IdempotencyPerActor1764600000000 implements MigrationInterface {
  name = 'IdempotencyPerActor1764600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "uq_task_events_idempotency"`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_task_events_idempotency" ON "task_events" ("province_code", "task_id", "actor", "idempotency_key") WHERE "idempotency_key" IS NOT NULL`,
    );
  }

  // Refuses while two actors share a key on one task: the old index cannot hold those rows.
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "uq_task_events_idempotency"`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_task_events_idempotency" ON "task_events" ("province_code", "task_id", "idempotency_key") WHERE "idempotency_key" IS NOT NULL`,
    );
  }
}
