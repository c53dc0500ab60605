import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { TaskFieldChange } from '../graphql/task-field-change.model';
import { DateScalar } from '../graphql/date.scalar';
import { PlanFormatEnum } from '../graphql/enums';
import { Plan, ReportingDeadline } from './plan.model';

export const ImportStatusEnum = {
  CREATED: 'CREATED',
  AMENDED: 'AMENDED',
  ALREADY_IMPORTED: 'ALREADY_IMPORTED',
  DRY_RUN: 'DRY_RUN',
} as const;
registerEnumType(ImportStatusEnum, {
  name: 'ImportStatus',
  description:
    'CREATED: written; AMENDED: a newer version of a plan already imported (same province, number and year), its diff applied; ' +
    'ALREADY_IMPORTED: the same document (or an earlier version of the plan) was imported before, nothing changed; DRY_RUN: nothing written',
});

@ObjectType({ description: 'One task of an amendment: added, removed (withdrawn) or changed' })
export class AmendedTask {
  @Field(() => ID, { nullable: true, description: 'The task written before (null for an added task)' }) taskId: string | null;
  @Field() ordinal: string;
  @Field(() => String, { nullable: true }) section: string | null;
  @Field() title: string;
  @Field(() => [TaskFieldChange], { description: 'What changed (changed tasks only)' }) changes: TaskFieldChange[];
  @Field(() => String, { nullable: true, description: 'Why the task was left as it is, or what was not applied to it' })
  note: string | null;
}

@ObjectType({ description: 'What an amended plan (sửa đổi, bổ sung) changes against the version imported before' })
export class PlanAmendment {
  @Field(() => Int) fromVersion: number;
  @Field(() => Int) toVersion: number;
  @Field(() => [AmendedTask]) added: AmendedTask[];
  @Field(() => [AmendedTask], { description: 'Tasks the amended plan no longer holds: withdrawn (WITHDRAW), never deleted' })
  removed: AmendedTask[];
  @Field(() => [AmendedTask], { description: 'Tasks whose text or dates changed: amended (AMEND), their history kept' })
  changed: AmendedTask[];
  @Field(() => Int, { description: 'Tasks the amendment leaves exactly as they were' }) unchanged: number;
  @Field(() => Int, { description: 'Task rows withdrawn (on a dry run: that would be), children of a split task included' })
  tasksWithdrawn: number;
  @Field(() => Int, { description: 'Task rows amended (on a dry run: that would be)' }) tasksChanged: number;
}

@InputType()
export class ImportPlanInput {
  @Field(() => String, { nullable: true, description: 'Province code; read from the document when omitted' }) provinceCode?: string | null;
  @Field(() => PlanFormatEnum) format: string;
  @Field({ description: 'The text for PLAN_TEXT, base64 for DOCX and XLSX (at most 10 MB)' }) content: string;
  @Field(() => Boolean, { nullable: true, description: 'Parse and report, write nothing' }) dryRun?: boolean | null;
}

@ObjectType({ description: 'A task as read from the document, before it is written' })
export class DraftTaskPreview {
  @Field() ordinal: string;
  @Field(() => String, { nullable: true }) section: string | null;
  @Field() title: string;
  @Field(() => [String], { description: 'Lead agencies (chủ trì), canonical names' }) leadAgencies: string[];
  @Field(() => [String], { description: 'Coordinating agencies (phối hợp), canonical names' }) coordinatingAgencies: string[];
  @Field() timeframe: string;
  @Field(() => String, { nullable: true }) target: string | null;
  @Field(() => String, { nullable: true }) note: string | null;
  @Field(() => Int) sourceLine: number;
  @Field() fromProse: boolean;
  @Field(() => Int, { description: "The task's position in the draft's tasks (0-based)" }) rowIndex: number;
  @Field(() => Float, { description: "The importer's confidence in this task, 0..1 (1: nothing doubtful); review the lowest first" })
  confidence: number;
  @Field(() => [String], { description: 'The warnings that concern this task (also listed in the result warnings)' }) warnings: string[];
}

@ObjectType({ description: 'What the importer read from the document' })
export class DraftPlanPreview {
  @Field(() => String, { nullable: true }) number: string | null;
  @Field(() => DateScalar, { nullable: true }) issuedOn: string | null;
  @Field(() => String, { nullable: true }) provinceCode: string | null;
  @Field(() => String, { nullable: true }) provinceName: string | null;
  @Field() title: string;
  @Field(() => String, { nullable: true }) resolution: string | null;
  @Field(() => Int, { nullable: true }) year: number | null;
  @Field(() => String, { nullable: true }) monitoringAgency: string | null;
  @Field(() => [ReportingDeadline]) reportingDeadlines: ReportingDeadline[];
  @Field(() => [ReportingDeadline]) consolidationDeadlines: ReportingDeadline[];
  @Field(() => [DraftTaskPreview]) tasks: DraftTaskPreview[];
  @Field(() => [DraftTaskPreview], { description: 'The tasks with any doubt (confidence below 1), least confident first' })
  reviewFirst: DraftTaskPreview[];
}

@ObjectType()
export class ImportResult {
  @Field(() => Plan, { nullable: true, description: 'The plan written (or found, when already imported); null on a dry run' })
  plan: unknown;
  @Field(() => Int) tasksCreated: number;
  @Field(() => [String]) warnings: string[];
  @Field(() => ImportStatusEnum) status: string;
  @Field(() => DraftPlanPreview) draft: DraftPlanPreview;
  @Field(() => PlanAmendment, { nullable: true, description: 'AMENDED, or DRY_RUN of an amendment: its diff' })
  amendment: PlanAmendment | null;
}
