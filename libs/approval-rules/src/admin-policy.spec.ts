import { ADMIN_OPERATIONS, authorizeAdmin, type AdminOperation, type Role, type RuleActor } from './index';

const actor = (roles: Role[], provinceCode = 'thai-binh', kind: RuleActor['kind'] = 'user'): RuleActor => ({
  kind,
  userId: 'u',
  provinceCode,
  agencyId: null,
  roles,
});
const OPERATIONS = Object.keys(ADMIN_OPERATIONS) as AdminOperation[];

describe(authorizeAdmin.name, () => {
  it.each(OPERATIONS)('does allow %s for an ADMIN of the province and a national ADMIN', (operation) => {
    expect(authorizeAdmin(actor(['ADMIN']), operation, 'thai-binh')).toEqual({ allowed: true, rule: ADMIN_OPERATIONS[operation].rule });
    expect(authorizeAdmin(actor(['ADMIN'], '*'), operation, 'thai-binh').allowed).toBe(true);
    expect(authorizeAdmin(actor(['ADMIN'], '*'), operation, null).allowed).toBe(true);
  });

  it.each(OPERATIONS)('does deny %s by its own rule for every role but ADMIN, and for the system', (operation) => {
    for (const roles of [['OFFICER'], ['SUPERVISOR'], ['LEADER'], ['AUDITOR'], []] as Role[][]) {
      const decision = authorizeAdmin(actor(roles), operation, 'thai-binh');
      expect(decision).toMatchObject({ allowed: false, rule: ADMIN_OPERATIONS[operation].rule });
    }
    expect(authorizeAdmin(actor(['ADMIN'], '*', 'system'), operation, null).allowed).toBe(false);
  });

  it.each(OPERATIONS)('does deny %s by other-province for an ADMIN of another province', (operation) => {
    const decision = authorizeAdmin(actor(['ADMIN'], 'ha-noi'), operation, 'thai-binh');
    expect(decision).toMatchObject({ allowed: false, rule: 'other-province' });
    expect(decision.allowed ? '' : decision.reason).toContain('other-province');
  });

  it('does give every operation its own rule id', () => {
    const rules = OPERATIONS.map((operation) => ADMIN_OPERATIONS[operation].rule);
    expect(new Set(rules).size).toBe(rules.length);
  });
});
