import type { MigrationInterface, QueryRunner } from 'typeorm';

// Each imported version of a plan (the first import, then each amendment "sửa đổi, bổ sung"):
// append-only, like task_events. Existing plans get their version 1 from the plan row.
export class PlanVersions1764900000000 implements MigrationInterface {
  name = 'PlanVersions1764900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "plan_versions" (
      "province_code" text NOT NULL, "plan_id" uuid NOT NULL, "version" integer NOT NULL,
      "number" text NOT NULL, "title" text NOT NULL, "issued_on" date, "source_hash" text,
      "imported_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "imported_by" text,
      "summary" jsonb NOT NULL DEFAULT '{}',
      CONSTRAINT "PK_plan_versions" PRIMARY KEY ("province_code", "plan_id", "version"),
      CONSTRAINT "FK_plan_versions_plan" FOREIGN KEY ("province_code", "plan_id") REFERENCES "plans"("province_code", "id"))`);
    await queryRunner.query(`CREATE INDEX "ix_plan_versions_source_hash" ON "plan_versions" ("province_code", "source_hash")`);
    await queryRunner.query(`INSERT INTO "plan_versions" ("province_code", "plan_id", "version", "number", "title", "issued_on", "source_hash", "imported_at")
      SELECT "province_code", "id", 1, "number", "title", "issued_on", "source_hash", "created_at" FROM "plans"`);
    await queryRunner.query(`CREATE FUNCTION plan_versions_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'plan_versions is append-only: an imported version is never rewritten'; END $$`);
    await queryRunner.query(`CREATE TRIGGER plan_versions_append_only BEFORE UPDATE OR DELETE ON "plan_versions"
      FOR EACH ROW EXECUTE FUNCTION plan_versions_append_only()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "plan_versions"`);
    await queryRunner.query(`DROP FUNCTION plan_versions_append_only()`);
  }
}
