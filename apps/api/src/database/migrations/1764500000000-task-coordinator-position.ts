import type { MigrationInterface, QueryRunner } from 'typeorm';

// Coordinating agencies (phối hợp) keep the order the plan lists them in.
export class TaskCoordinatorPosition1764500000000 implements MigrationInterface {
  name = 'TaskCoordinatorPosition1764500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "task_coordinators" ADD "position" integer NOT NULL DEFAULT 0`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "task_coordinators" DROP COLUMN "position"`);
  }
}
