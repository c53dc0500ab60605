// SQL condition: the agency (parameter :agencyId) leads or coordinates task `t`, itself or as a
// registered member of a group agency that does ("UBND các huyện, …").
export const AGENCY_INVOLVED_SQL = `(
  t.lead_agency_id = :agencyId
  OR t.lead_agency_id IN (SELECT g.group_id FROM agency_group_members g WHERE g.province_code = t.province_code AND g.member_id = :agencyId)
  OR EXISTS (
    SELECT 1 FROM task_coordinators c
    WHERE c.province_code = t.province_code AND c.task_id = t.id
      AND (c.agency_id = :agencyId
        OR c.agency_id IN (SELECT g.group_id FROM agency_group_members g WHERE g.province_code = c.province_code AND g.member_id = :agencyId))
  )
)`;
