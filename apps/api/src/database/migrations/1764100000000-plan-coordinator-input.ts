import type { MigrationInterface, QueryRunner } from 'typeorm';

// A plan may require every coordinating agency's input before the lead reports.
export class PlanCoordinatorInput1764100000000 implements MigrationInterface {
  name = 'PlanCoordinatorInput1764100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "plans" ADD "coordinator_input_required" boolean NOT NULL DEFAULT false`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "plans" DROP COLUMN "coordinator_input_required"`);
  }
}
