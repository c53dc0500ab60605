import { gql, startApiServer, token, type ApiServer } from './support/api-server';
import { AGENCIES, seedPlan, testPlan, uniqueProvince } from './support/fixtures';
import { errorCodes, eventRows, getTask, storedTask, transition, type TaskView } from './support/e2e-helpers';

// Concurrency over real HTTP: optimistic versions, serialized writes and idempotent retries.
describe('conflicts', () => {
  const province = uniqueProvince('conflicts');
  const COORDINATORS = [AGENCIES.ict.code, AGENCIES.tax.code, AGENCIES.monitoring.code];
  let server: ApiServer;
  let planId: string;
  let taskIds: string[];
  let coordinatorTokens: string[];
  let auditor: string;

  beforeAll(async () => {
    ({ planId } = await seedPlan(
      testPlan(
        province,
        Array.from({ length: 4 }, () => ({ coordinatingAgencyCodes: COORDINATORS })),
      ),
    ));
    server = await startApiServer();
    coordinatorTokens = await Promise.all(COORDINATORS.map((code) => token(province.code, code, ['OFFICER'], `${code}-officer`)));
    auditor = await token(province.code, 'thanh-tra-tinh', ['AUDITOR'], 'conflicts-auditor');
    const page = await gql(server, auditor, 'query P($id: ID!) { plan(id: $id) { tasks(first: 10) { edges { node { id } } } } }', {
      id: planId,
    });
    taskIds = page.data!.plan.tasks.edges.map((e: { node: { id: string } }) => e.node.id);
  });

  afterAll(async () => server?.stop());

  const contribute = (taskId: string, i: number, extra: Record<string, unknown> = {}) =>
    transition(server, coordinatorTokens[i % coordinatorTokens.length], { taskId, event: 'CONTRIBUTE', comment: `Ý kiến ${i}`, ...extra });

  async function verifyTrail() {
    const result = await gql(server, auditor, 'query V($id: ID!) { verifyAuditTrail(planId: $id) { ok brokenTaskIds } }', { id: planId });
    return result.data!.verifyAuditTrail;
  }

  it('does let exactly one of 64 concurrent transitions with one expectedVersion win, and answer CONFLICT to the 63 others', async () => {
    const taskId = taskIds[0];
    const results = await Promise.all(Array.from({ length: 64 }, (_, i) => contribute(taskId, i, { expectedVersion: 0 })));
    const won = results.filter((r) => r.data?.transitionTask);
    const codes = results.flatMap((r) => errorCodes(r));
    expect(results.every((r) => r.status !== 500)).toBe(true);
    expect(won).toHaveLength(1);
    expect(won[0].data!.transitionTask.version).toBe(1);
    expect(codes).toEqual(Array.from({ length: 63 }, () => 'CONFLICT'));
    expect(await storedTask(taskId)).toEqual({ state: 'ASSIGNED', version: 1, events: 1 });
  });

  it('does serialize concurrent transitions without expectedVersion into one unbroken chain', async () => {
    const taskId = taskIds[1];
    const n = 48; // 16 per coordinating agency, within the per-agency cap of a period
    const results = await Promise.all(Array.from({ length: n }, (_, i) => contribute(taskId, i)));
    expect(results.flatMap((r) => errorCodes(r))).toEqual([]);
    const versions = results.map((r) => r.data!.transitionTask.version).sort((a, b) => a - b);
    expect(versions).toEqual(Array.from({ length: n }, (_, i) => i + 1));
    const task = (await getTask(server, auditor, taskId)) as TaskView;
    expect(task.history.map((h) => h.seq)).toEqual(versions);
    task.history.forEach((h, i) => {
      if (i > 0) expect(h.prevHash).toBe(task.history[i - 1].hash);
    });
    expect(await verifyTrail()).toEqual({ ok: true, brokenTaskIds: [] });
  });

  it('does append one event when the same actor retries one idempotency key 10 times at once', async () => {
    const taskId = taskIds[2];
    const results = await Promise.all(Array.from({ length: 10 }, () => contribute(taskId, 0, { idempotencyKey: 'retry-key' })));
    expect(results.flatMap((r) => errorCodes(r))).toEqual([]);
    expect(new Set(results.map((r) => r.data!.transitionTask.version))).toEqual(new Set([1]));
    expect((await eventRows(taskId)).map((e) => e.seq)).toEqual([1]);
  });

  it('does not merge the same idempotency key sent by another actor', async () => {
    const taskId = taskIds[3];
    const first = await contribute(taskId, 0, { idempotencyKey: 'shared-key' });
    const second = await contribute(taskId, 1, { idempotencyKey: 'shared-key' });
    expect([first.data?.transitionTask.version, second.data?.transitionTask.version]).toEqual([1, 2]);
    const again = await contribute(taskId, 0, { idempotencyKey: 'shared-key' });
    expect(again.data?.transitionTask.version).toBe(1);
    expect((await eventRows(taskId)).length).toBe(2);
    expect(await verifyTrail()).toEqual({ ok: true, brokenTaskIds: [] });
  });
});
