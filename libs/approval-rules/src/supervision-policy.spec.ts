import { authorizeSupervision, SUPERVISION_OPERATIONS, type Role, type RuleActor } from './index';

const MONITORING = 'monitoring-agency';
const plan = { provinceCode: 'thai-binh', monitoringAgencyId: MONITORING };
const actor = (roles: Role[], agencyId: string | null = MONITORING, provinceCode = 'thai-binh'): RuleActor => ({
  kind: 'user',
  userId: 'u',
  provinceCode,
  agencyId,
  roles,
});
const RULE = SUPERVISION_OPERATIONS['close-period'].rule;

describe(authorizeSupervision.name, () => {
  it('does allow a SUPERVISOR of the monitoring agency and a LEADER of the province', () => {
    expect(authorizeSupervision(actor(['SUPERVISOR']), 'close-period', plan)).toEqual({ allowed: true, rule: RULE });
    expect(authorizeSupervision(actor(['LEADER'], 'uy-ban'), 'close-period', plan).allowed).toBe(true);
  });

  it('does deny by its rule a SUPERVISOR of another agency, an OFFICER of the monitoring agency and an ADMIN', () => {
    for (const who of [actor(['SUPERVISOR'], 'other'), actor(['OFFICER']), actor(['ADMIN'], null)]) {
      expect(authorizeSupervision(who, 'close-period', plan)).toMatchObject({ allowed: false, rule: RULE });
    }
  });

  it('does deny when the plan has no monitoring agency, unless LEADER', () => {
    const orphan = { ...plan, monitoringAgencyId: null };
    expect(authorizeSupervision(actor(['SUPERVISOR']), 'close-period', orphan)).toMatchObject({ allowed: false, rule: RULE });
    expect(authorizeSupervision(actor(['LEADER']), 'close-period', orphan).allowed).toBe(true);
  });

  it('does deny an AUDITOR, another province and the system by their own rules', () => {
    expect(authorizeSupervision(actor(['SUPERVISOR', 'AUDITOR']), 'close-period', plan)).toMatchObject({ rule: 'auditor-changes-nothing' });
    expect(authorizeSupervision(actor(['LEADER'], MONITORING, 'ha-noi'), 'close-period', plan)).toMatchObject({ rule: 'other-province' });
    expect(authorizeSupervision(actor(['LEADER'], MONITORING, '*'), 'close-period', plan)).toMatchObject({ rule: 'other-province' });
    expect(authorizeSupervision({ ...actor(['LEADER']), kind: 'system' }, 'close-period', plan)).toMatchObject({
      allowed: false,
      rule: RULE,
    });
  });
});
