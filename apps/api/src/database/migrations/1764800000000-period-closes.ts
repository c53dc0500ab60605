import type { MigrationInterface, QueryRunner } from 'typeorm';

// Sealed reporting periods (chốt số liệu kỳ báo cáo): append-only like task_events. A plan may set
// its own data cut-offs (period_cutoffs), else Decree 09/2019/NĐ-CP's apply.
export class PeriodCloses1764800000000 implements MigrationInterface {
  name = 'PeriodCloses1764800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "plans" ADD "period_cutoffs" jsonb NOT NULL DEFAULT '[]'`);
    await queryRunner.query(`CREATE TABLE "period_closes" (
      "province_code" text NOT NULL, "plan_id" uuid NOT NULL, "seq" integer NOT NULL, "period" text NOT NULL,
      "cutoff" TIMESTAMP WITH TIME ZONE NOT NULL, "closed_at" TIMESTAMP WITH TIME ZONE NOT NULL,
      "closed_by" text, "closed_by_agency_id" uuid, "figures" jsonb NOT NULL, "prev_hash" text NOT NULL, "hash" text NOT NULL,
      CONSTRAINT "PK_period_closes" PRIMARY KEY ("province_code", "plan_id", "seq"),
      CONSTRAINT "uq_period_closes_period" UNIQUE ("province_code", "plan_id", "period"),
      CONSTRAINT "FK_period_closes_plan" FOREIGN KEY ("province_code", "plan_id") REFERENCES "plans"("province_code", "id"))`);
    await queryRunner.query(`CREATE FUNCTION period_closes_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'period_closes is append-only: a sealed period is never rewritten'; END $$`);
    await queryRunner.query(`CREATE TRIGGER period_closes_append_only BEFORE UPDATE OR DELETE ON "period_closes"
      FOR EACH ROW EXECUTE FUNCTION period_closes_append_only()`);
    await queryRunner.query(`CREATE TRIGGER period_closes_no_truncate BEFORE TRUNCATE ON "period_closes"
      FOR EACH STATEMENT EXECUTE FUNCTION period_closes_append_only()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "period_closes"`);
    await queryRunner.query(`DROP FUNCTION period_closes_append_only()`);
    await queryRunner.query(`ALTER TABLE "plans" DROP COLUMN "period_cutoffs"`);
  }
}
