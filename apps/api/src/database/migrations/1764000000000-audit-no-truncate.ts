import type { MigrationInterface, QueryRunner } from 'typeorm';

// The append-only trigger covered UPDATE and DELETE row by row; TRUNCATE bypassed it.
export class AuditNoTruncate1764000000000 implements MigrationInterface {
  name = 'AuditNoTruncate1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TRIGGER task_events_no_truncate BEFORE TRUNCATE ON "task_events"
      FOR EACH STATEMENT EXECUTE FUNCTION task_events_append_only()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER task_events_no_truncate ON "task_events"`);
  }
}
