import type { MigrationInterface, QueryRunner } from 'typeorm';

// Refused attempts, kept for auditors: append-only like task_events.
export class AccessDenials1764610000000 implements MigrationInterface {
  name = 'AccessDenials1764610000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "access_denials" (
      "province_code" text NOT NULL, "id" uuid NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL,
      "actor_sub" text, "actor_province" text NOT NULL, "actor_agency" text, "roles" text array NOT NULL,
      "operation" text NOT NULL, "task_id" uuid, "target" text, "rule" text NOT NULL, "message" text NOT NULL,
      CONSTRAINT "PK_access_denials" PRIMARY KEY ("province_code", "id"))`);
    await queryRunner.query(`CREATE INDEX "ix_access_denials_province_at" ON "access_denials" ("province_code", "at", "id")`);
    await queryRunner.query(`CREATE FUNCTION access_denials_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'access_denials is append-only'; END $$`);
    await queryRunner.query(`CREATE TRIGGER access_denials_append_only BEFORE UPDATE OR DELETE ON "access_denials"
      FOR EACH ROW EXECUTE FUNCTION access_denials_append_only()`);
    await queryRunner.query(`CREATE TRIGGER access_denials_no_truncate BEFORE TRUNCATE ON "access_denials"
      FOR EACH STATEMENT EXECUTE FUNCTION access_denials_append_only()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "access_denials"`);
    await queryRunner.query(`DROP FUNCTION access_denials_append_only()`);
  }
}
