import type { MigrationInterface, QueryRunner } from 'typeorm';

// Daily digests per agency. The unique key makes "one digest per agency per Vietnam day" hold
// however many instances write it; a gateway marks delivered_at once it has sent one.
export class Notifications1764200000000 implements MigrationInterface {
  name = 'Notifications1764200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "notifications" (
      "province_code" text NOT NULL, "id" uuid NOT NULL, "agency_id" uuid NOT NULL, "kind" text NOT NULL,
      "digest_date" date NOT NULL, "payload" jsonb NOT NULL,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "delivered_at" TIMESTAMP WITH TIME ZONE,
      CONSTRAINT "PK_notifications" PRIMARY KEY ("province_code", "id"))`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_notifications_agency_kind_date" ON "notifications" ("province_code", "agency_id", "kind", "digest_date")`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_notifications_undelivered" ON "notifications" ("province_code", "created_at") WHERE "delivered_at" IS NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "notifications"`);
  }
}
