import type { MigrationInterface, QueryRunner } from 'typeorm';

// The task row keeps the hash of its last event, so a transition appends the next event without
// reading the trail first (the next seq is version + 1). Null until the first event: the chain
// then starts from the genesis hash of the task's input.
export class TaskLastHash1764400000000 implements MigrationInterface {
  name = 'TaskLastHash1764400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "tasks" ADD "last_hash" text`);
    await queryRunner.query(`UPDATE "tasks" t SET "last_hash" = e."hash"
      FROM "task_events" e WHERE e."province_code" = t."province_code" AND e."task_id" = t."id" AND e."seq" = t."version"`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "tasks" DROP COLUMN "last_hash"`);
  }
}
