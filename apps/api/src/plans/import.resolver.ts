import { Inject } from '@nestjs/common';
import { Args, Mutation, Resolver } from '@nestjs/graphql';
import type { DraftPlan } from '@app/plan-import';
import type { Actor } from '../auth/actor';
import { CurrentActor } from '../graphql/current-actor.decorator';
import { DraftPlanPreview, ImportPlanInput, ImportResult } from './import-plan.model';
import { PlanImportService, type ImportFormat } from './plan-import.service';

@Resolver(() => ImportResult)
export class ImportResolver {
  constructor(@Inject(PlanImportService) private readonly importer: PlanImportService) {}

  @Mutation(() => ImportResult, { description: 'ADMIN: import a plan document (dryRun: parse and report only)' })
  async importPlan(@CurrentActor() actor: Actor, @Args('input') input: ImportPlanInput): Promise<ImportResult> {
    const outcome = await this.importer.import(actor, { ...input, format: input.format as ImportFormat });
    return { ...outcome, draft: preview(outcome.draft) };
  }
}

function preview(draft: DraftPlan): DraftPlanPreview {
  const tasks = draft.tasks.map((task, rowIndex) => ({
    ...task,
    rowIndex,
    leadAgencies: task.leadAgencies.map((a) => a.name),
    coordinatingAgencies: task.coordinatingAgencies.map((a) => a.name),
  }));
  return {
    ...draft,
    resolution: draft.resolution?.number ?? null,
    monitoringAgency: draft.monitoringAgency?.name ?? null,
    tasks,
    reviewFirst: tasks.filter((task) => task.confidence < 1).sort((a, b) => a.confidence - b.confidence || a.rowIndex - b.rowIndex),
  };
}
