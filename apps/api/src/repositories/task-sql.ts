// SQL fragments shared by the repositories that read tasks (alias t).

// A leaf task: no child task splits it per lead agency (a parent shows the roll-up of its children).
export const LEAF_TASK_SQL = 'NOT EXISTS (SELECT 1 FROM tasks k WHERE k.province_code = t.province_code AND k.parent_id = t.id)';

// The agency ($N) leads or coordinates task t, itself or as a registered member of a group agency
// that does ("UBND các huyện, …").
export function agencyInvolvedSql(param: string): string {
  return `(
  t.lead_agency_id = ${param}
  OR t.lead_agency_id IN (SELECT g.group_id FROM agency_group_members g WHERE g.province_code = t.province_code AND g.member_id = ${param})
  OR EXISTS (
    SELECT 1 FROM task_coordinators c
    WHERE c.province_code = t.province_code AND c.task_id = t.id
      AND (c.agency_id = ${param}
        OR c.agency_id IN (SELECT g.group_id FROM agency_group_members g WHERE g.province_code = c.province_code AND g.member_id = ${param}))
  )
)`;
}
