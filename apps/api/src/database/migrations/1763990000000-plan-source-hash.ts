import type { MigrationInterface, QueryRunner } from 'typeorm';

// The text a plan was imported from is fingerprinted, so importing the same document twice finds
// the first import instead of duplicating the plan.
export class PlanSourceHash1763990000000 implements MigrationInterface {
  name = 'PlanSourceHash1763990000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "plans" ADD "source_hash" text`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_plans_source_hash" ON "plans" ("province_code", "source_hash")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "uq_plans_source_hash"`);
    await queryRunner.query(`ALTER TABLE "plans" DROP COLUMN "source_hash"`);
  }
}
