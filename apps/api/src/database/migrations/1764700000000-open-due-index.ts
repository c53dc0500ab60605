import type { MigrationInterface, QueryRunner } from 'typeorm';

// The deadline sweep takes the earliest due open tasks a batch at a time (TaskRepository.lockDue).
// With only (state, due_at) PostgreSQL sorted every due open task for each batch of 200 (on disk at
// 100,000); this index hands them over in due order, so a batch reads about what it locks.
export class OpenDueIndex1764700000000 implements MigrationInterface {
  name = 'OpenDueIndex1764700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "ix_tasks_open_due" ON "tasks" ("due_at") WHERE "state" IN ('ASSIGNED', 'IN_PROGRESS')`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "ix_tasks_open_due"`);
  }
}
