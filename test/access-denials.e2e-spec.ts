import { gql, startApiServer, token, type ApiServer } from './support/api-server';
import { AGENCIES, seedPlan, testPlan, uniqueProvince } from './support/fixtures';
import { expectError, storedTask, transition } from './support/e2e-helpers';

const DENIALS = `query D($province: String, $first: Int, $after: String) {
  accessDenials(provinceCode: $province, first: $first, after: $after) {
    nodes { id at actorSub actorProvince actorAgency roles operation taskId target rule message }
    hasNextPage endCursor
  }
}`;

// Refused attempts are kept for auditors, per province.
describe('access denials', () => {
  const province = uniqueProvince('denials');
  const other = uniqueProvince('denials-other');
  let server: ApiServer;
  let taskId: string;
  let outsider: string;
  let auditor: string;
  let otherAuditor: string;

  beforeAll(async () => {
    await seedPlan(testPlan(province, [{}]));
    await seedPlan(testPlan(other, [{}]));
    server = await startApiServer();
    outsider = await token(province.code, AGENCIES.tax.code, ['OFFICER'], 'denied-officer');
    auditor = await token(province.code, 'thanh-tra-tinh', ['AUDITOR'], 'denials-auditor');
    otherAuditor = await token(other.code, 'thanh-tra-tinh', ['AUDITOR'], 'denials-other-auditor');
    const page = await gql(server, auditor, '{ tasks(first: 1) { edges { node { id } } } }');
    taskId = page.data!.tasks.edges[0].node.id;
  });

  afterAll(async () => server?.stop());

  it('does show a refused transition and a refused ADMIN operation to the auditor of the province, with who, what and which rule', async () => {
    const before = await storedTask(taskId);
    expectError(await transition(server, outsider, { taskId, event: 'START' }), 'FORBIDDEN', 'no-rule-allows');
    expect(await storedTask(taskId)).toEqual(before);
    expectError(await gql(server, outsider, 'mutation { runDeadlineSweep }'), 'FORBIDDEN', 'sweep-needs-admin');

    const result = await gql(server, auditor, DENIALS, { first: 10 });
    expect(result.errors).toBeUndefined();
    const nodes = result.data!.accessDenials.nodes;
    expect(nodes.map((n: { operation: string }) => n.operation)).toEqual(['run-deadline-sweep', 'START']);
    expect(nodes[1]).toMatchObject({
      actorSub: 'denied-officer',
      actorProvince: province.code,
      actorAgency: AGENCIES.tax.code,
      roles: ['OFFICER'],
      taskId,
      rule: 'no-rule-allows',
    });
    const firstPage = await gql(server, auditor, DENIALS, { first: 1 });
    expect(firstPage.data!.accessDenials.hasNextPage).toBe(true);
    const next = await gql(server, auditor, DENIALS, { first: 1, after: firstPage.data!.accessDenials.endCursor });
    expect(next.data!.accessDenials.nodes.map((n: { operation: string }) => n.operation)).toEqual(['START']);
  });

  it('does show nothing of the province to another province, and refuses staff', async () => {
    const theirs = await gql(server, otherAuditor, DENIALS, {});
    expect(theirs.data!.accessDenials.nodes.filter((n: { actorProvince: string }) => n.actorProvince === province.code)).toEqual([]);
    expectError(await gql(server, otherAuditor, DENIALS, { province: province.code }), 'FORBIDDEN', 'other-province');
    expectError(await gql(server, outsider, DENIALS, {}), 'FORBIDDEN');
    expectError(await gql(server, auditor, DENIALS, { first: 1000 }), 'BAD_USER_INPUT', 'first');
  });
});
