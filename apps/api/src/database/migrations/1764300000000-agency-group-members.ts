import type { MigrationInterface, QueryRunner } from 'typeorm';

// Group agencies ("UBND các huyện, thị xã, thành phố") list their registered members, whose staff
// act for the group as lead or coordinating agency.
export class AgencyGroupMembers1764300000000 implements MigrationInterface {
  name = 'AgencyGroupMembers1764300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "agency_group_members" (
      "province_code" text NOT NULL, "group_id" uuid NOT NULL, "member_id" uuid NOT NULL,
      CONSTRAINT "PK_agency_group_members" PRIMARY KEY ("province_code", "group_id", "member_id"))`);
    await queryRunner.query(`CREATE INDEX "ix_agency_group_members_member" ON "agency_group_members" ("province_code", "member_id")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "agency_group_members"`);
  }
}
