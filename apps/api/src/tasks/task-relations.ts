import type { TaskRelations } from '@app/approval-rules';
import { IncompatibleSnapshotError, missingCoordinators, type TaskContext } from '@app/lifecycle';
import type { PlanEntity } from '../database/entities/plan.entity';
import type { TaskEntity } from '../database/entities/task.entity';

export interface RelationSources {
  coordinatorIds: readonly string[]; // the task's own coordinating agencies (groups included)
  plan: Pick<PlanEntity, 'monitoringAgencyId' | 'coordinatorInputRequired'> | null;
  committeeId: string | null;
  groupMembers: ReadonlyMap<string, readonly string[]>; // members of the lead and coordinating groups
}

// What the approval rules need to know about a task. Staff of a group's registered members act
// for the group: as lead, and as coordinating agency.
export function relationsOf(task: TaskEntity, sources: RelationSources): TaskRelations {
  const context = task.snapshot?.context;
  // a snapshot edited by hand into something else: refused like any snapshot the machine cannot restore
  if (!context || typeof context !== 'object' || !Array.isArray(context.contributions)) {
    throw new IncompatibleSnapshotError(`task ${task.id} has no readable snapshot`);
  }
  const members = (id: string) => sources.groupMembers.get(id) ?? [];
  return {
    provinceCode: task.provinceCode,
    leadAgencyId: task.leadAgencyId,
    leadGroupMemberIds: members(task.leadAgencyId),
    coordinatingAgencyIds: [...new Set(sources.coordinatorIds.flatMap((id) => [id, ...members(id)]))],
    monitoringAgencyId: sources.plan?.monitoringAgencyId ?? null,
    provincialCommitteeAgencyId: sources.committeeId,
    reportedByAgencyId: context.reportedByAgencyId,
    reportedByUserId: context.reportedByUserId,
    coordinatorInputMissing:
      Boolean(sources.plan?.coordinatorInputRequired) && missingInput(context, sources.coordinatorIds, members).length > 0,
  };
}

// A coordinating group has given its input when any of its members contributed this period.
export function missingInput(context: TaskContext, coordinatorIds: readonly string[], members: (id: string) => readonly string[]): string[] {
  const contributed = new Set(context.contributions.filter((c) => c.period === context.period).map((c) => c.agencyId));
  return missingCoordinators(context, coordinatorIds).filter((id) => !members(id).some((member) => contributed.has(member)));
}
