import type { TaskRelations } from '@app/approval-rules';
import { IncompatibleSnapshotError, missingCoordinators, type TaskContext } from '@app/lifecycle';
import type { TaskAuthorizationRow } from '../repositories/task.repository';
import type { TaskEntity } from '../repositories/task.repository';

// What the approval rules need to know about a task. Staff of a group's registered members act
// for the group: as lead, and as coordinating agency.
export function relationsOf(row: TaskAuthorizationRow): TaskRelations {
  const { task } = row;
  const context = readableContext(task);
  const members = (id: string) => row.groupMembers.get(id) ?? [];
  return {
    provinceCode: task.provinceCode,
    leadAgencyId: task.leadAgencyId,
    leadGroupMemberIds: members(task.leadAgencyId),
    coordinatingAgencyIds: [...new Set(row.coordinatorIds.flatMap((id) => [id, ...members(id)]))],
    monitoringAgencyId: row.monitoringAgencyId,
    provincialCommitteeAgencyId: row.committeeId,
    reportedByAgencyId: context.reportedByAgencyId,
    reportedByUserId: context.reportedByUserId,
    coordinatorInputMissing: row.coordinatorInputRequired && missingInput(context, row.coordinatorIds, members).length > 0,
    // the latest request is the pending one while the snapshot holds a pending request
    extensionRequestedByUserId: context.pendingExtension ? row.extensionRequestedBy : null,
  };
}

// The system (the deadline sweep) needs no relations beyond the task's own: its rule looks at none.
export function ownRelationsOf(task: TaskEntity): TaskRelations {
  const context = readableContext(task);
  return {
    provinceCode: task.provinceCode,
    leadAgencyId: task.leadAgencyId,
    leadGroupMemberIds: [],
    coordinatingAgencyIds: [],
    monitoringAgencyId: null,
    provincialCommitteeAgencyId: null,
    coordinatorInputMissing: false,
    reportedByAgencyId: context.reportedByAgencyId,
    reportedByUserId: context.reportedByUserId,
    extensionRequestedByUserId: null,
  };
}

// A snapshot edited by hand into something else: refused like any snapshot the machine cannot restore.
function readableContext(task: TaskEntity): TaskContext {
  const context = task.snapshot?.context;
  if (!context || typeof context !== 'object' || !Array.isArray(context.contributions)) {
    throw new IncompatibleSnapshotError(`task ${task.id} has no readable snapshot`);
  }
  return context;
}

// A coordinating group has given its input when any of its members contributed this period.
export function missingInput(
  context: TaskContext,
  coordinatorIds: readonly string[],
  members: (id: string) => readonly string[],
): string[] {
  const contributed = new Set(context.contributions.filter((c) => c.period === context.period).map((c) => c.agencyId));
  return missingCoordinators(context, coordinatorIds).filter((id) => !members(id).some((member) => contributed.has(member)));
}
