import { randomUUID } from 'node:crypto';
import { signToken } from '../apps/api/src/auth/jwt.service';
import { gql, startApiServer, token, type ApiServer } from './support/api-server';
import { AGENCIES, seedPlan, testPlan, uniqueProvince } from './support/fixtures';
import { errorCodes, expectError, fire, getTask, storedTask, transition, withPg, type TaskView } from './support/e2e-helpers';

// Every error code of the contract, exactly, and that a refused request changes nothing
// (seen through the API and directly in the task_events table).
describe('task errors', () => {
  const province = uniqueProvince('errors');
  let server: ApiServer;
  let officer: string;
  let supervisor: string;
  let taskIds: string[];
  let planId: string;

  beforeAll(async () => {
    ({ planId } = await seedPlan(
      testPlan(
        province,
        Array.from({ length: 10 }, () => ({})),
      ),
    ));
    server = await startApiServer();
    officer = await token(province.code, AGENCIES.justice.code, ['OFFICER'], 'officer-errors');
    supervisor = await token(province.code, AGENCIES.monitoring.code, ['SUPERVISOR'], 'supervisor-errors');
    const page = await gql(server, supervisor, 'query P($id: ID!) { plan(id: $id) { tasks(first: 20) { edges { node { id } } } } }', {
      id: planId,
    });
    taskIds = page.data!.plan.tasks.edges.map((e: { node: { id: string } }) => e.node.id);
  });

  afterAll(async () => server?.stop());

  async function current(id: string): Promise<TaskView> {
    return (await getTask(server, supervisor, id))!;
  }

  // State, version and history length, through the API and in SQL.
  async function snapshot(id: string) {
    const task = await current(id);
    const stored = await storedTask(id);
    expect(stored).toEqual({ state: task.state, version: task.version, events: task.history.length });
    return { state: task.state, version: task.version, events: task.history.length };
  }

  async function expectRefusedUnchanged(id: string, attempt: () => Promise<unknown>): Promise<void> {
    const before = await snapshot(id);
    await attempt();
    expect(await snapshot(id)).toEqual(before);
  }

  describe('authentication', () => {
    const query = '{ plans { id } }';

    it('does answer UNAUTHENTICATED when no token is sent', async () => {
      expectError(await gql(server, null, query), 'UNAUTHENTICATED');
    });

    it('does answer UNAUTHENTICATED when the token is garbage', async () => {
      expectError(await gql(server, 'not.a.jwt', query), 'UNAUTHENTICATED');
      expectError(await gql(server, 'garbage', query), 'UNAUTHENTICATED');
    });

    it('does answer UNAUTHENTICATED when the token is signed with another secret', async () => {
      const forged = await signToken(
        { sub: 'x', province: province.code, agency: AGENCIES.justice.code, roles: ['OFFICER'] },
        'another-secret',
      );
      expectError(await gql(server, forged, query), 'UNAUTHENTICATED');
    });

    it('does answer UNAUTHENTICATED when an OFFICER token names an agency outside the registry', async () => {
      expectError(await gql(server, await token(province.code, 'so-khong-ton-tai', ['OFFICER']), query), 'UNAUTHENTICATED');
      expectError(await gql(server, await token(province.code, 'so-khong-ton-tai', ['SUPERVISOR']), query), 'UNAUTHENTICATED');
      expectError(await gql(server, await token('tinh-khong-ton-tai', AGENCIES.justice.code, ['OFFICER']), query), 'UNAUTHENTICATED');
    });

    it('does answer UNAUTHENTICATED on a mutation when the token is refused, changing nothing', async () => {
      const id = taskIds[7];
      await expectRefusedUnchanged(id, async () => {
        expectError(await transition(server, null, { taskId: id, event: 'START' }), 'UNAUTHENTICATED');
        const outsider = await token(province.code, 'so-khong-ton-tai', ['OFFICER']);
        expectError(await transition(server, outsider, { taskId: id, event: 'START' }), 'UNAUTHENTICATED');
      });
    });

    it('does let an ADMIN token with an agency outside the registry query', async () => {
      const admin = await token(province.code, 'van-phong-quan-tri', ['ADMIN']);
      const result = await gql(server, admin, query);
      expect(result.errors).toBeUndefined();
      expect(result.data!.plans.map((p: { id: string }) => p.id)).toContain(planId);
    });
  });

  describe('task ids', () => {
    it('does answer NOT_FOUND when transitionTask names an unknown task', async () => {
      expectError(await transition(server, officer, { taskId: randomUUID(), event: 'START' }), 'NOT_FOUND');
    });

    it('does return null when task(id) names an unknown task', async () => {
      expect(await getTask(server, officer, randomUUID())).toBeNull();
    });

    it('does answer BAD_USER_INPUT when the id is malformed', async () => {
      expectError(await transition(server, officer, { taskId: 'abc', event: 'START' }), 'BAD_USER_INPUT');
      expectError(await gql(server, officer, '{ task(id: "abc") { id } }'), 'BAD_USER_INPUT');
    });
  });

  describe('lifecycle refusals', () => {
    it('does answer INVALID_TRANSITION when START is fired on a REPORTED or VERIFIED task', async () => {
      const id = taskIds[0];
      await fire(server, officer, { taskId: id, event: 'START' });
      await fire(server, officer, { taskId: id, event: 'SUBMIT_REPORT', report: { summary: 'Xong' } });
      await expectRefusedUnchanged(id, async () => {
        expectError(await transition(server, officer, { taskId: id, event: 'START' }), 'INVALID_TRANSITION');
      });
      await fire(server, supervisor, { taskId: id, event: 'VERIFY' });
      await expectRefusedUnchanged(id, async () => {
        expectError(await transition(server, officer, { taskId: id, event: 'START' }), 'INVALID_TRANSITION');
        expectError(
          await transition(server, officer, { taskId: id, event: 'SUBMIT_REPORT', report: { summary: 'Lần nữa' } }),
          'INVALID_TRANSITION',
        );
      });
      expect((await current(id)).state).toBe('VERIFIED');
    });

    it('does answer FORBIDDEN when a user fires DEADLINE_PASSED', async () => {
      const id = taskIds[1];
      await expectRefusedUnchanged(id, async () => {
        expectError(
          await transition(server, officer, { taskId: id, event: 'DEADLINE_PASSED' }),
          'FORBIDDEN',
          'deadline-passed-system-only',
        );
        expectError(
          await transition(server, supervisor, { taskId: id, event: 'DEADLINE_PASSED' }),
          'FORBIDDEN',
          'deadline-passed-system-only',
        );
        const admin = await token(province.code, 'van-phong-quan-tri', ['ADMIN']);
        expectError(await transition(server, admin, { taskId: id, event: 'DEADLINE_PASSED' }), 'FORBIDDEN', 'deadline-passed-system-only');
      });
    });
  });

  describe('input validation', () => {
    let reportedId: string;

    beforeAll(async () => {
      reportedId = taskIds[2];
      await fire(server, officer, { taskId: reportedId, event: 'START' });
      await fire(server, officer, { taskId: reportedId, event: 'SUBMIT_REPORT', report: { summary: 'Báo cáo' } });
    });

    it('does answer BAD_USER_INPUT when REJECT has no comment', async () => {
      await expectRefusedUnchanged(reportedId, async () => {
        expectError(await transition(server, supervisor, { taskId: reportedId, event: 'REJECT' }), 'BAD_USER_INPUT');
        expectError(await transition(server, supervisor, { taskId: reportedId, event: 'REJECT', comment: '' }), 'BAD_USER_INPUT');
        expectError(await transition(server, supervisor, { taskId: reportedId, event: 'REJECT', comment: '   ' }), 'BAD_USER_INPUT');
      });
    });

    it('does answer BAD_USER_INPUT when the comment has 5000 characters', async () => {
      await expectRefusedUnchanged(reportedId, async () => {
        const comment = 'x'.repeat(5000);
        expectError(await transition(server, supervisor, { taskId: reportedId, event: 'REJECT', comment }), 'BAD_USER_INPUT');
        expectError(await transition(server, supervisor, { taskId: reportedId, event: 'VERIFY', comment }), 'BAD_USER_INPUT');
      });
    });

    it('does answer BAD_USER_INPUT when SUBMIT_REPORT has no report', async () => {
      const id = taskIds[3];
      await fire(server, officer, { taskId: id, event: 'START' });
      await expectRefusedUnchanged(id, async () => {
        expectError(await transition(server, officer, { taskId: id, event: 'SUBMIT_REPORT' }), 'BAD_USER_INPUT');
        expectError(await transition(server, officer, { taskId: id, event: 'SUBMIT_REPORT', report: { summary: '' } }), 'BAD_USER_INPUT');
      });
    });
  });

  describe('versions and idempotency', () => {
    it('does answer CONFLICT when expectedVersion is stale', async () => {
      const id = taskIds[4];
      await fire(server, officer, { taskId: id, event: 'START', expectedVersion: 0 });
      await expectRefusedUnchanged(id, async () => {
        const result = await transition(server, officer, {
          taskId: id,
          event: 'SUBMIT_REPORT',
          expectedVersion: 0,
          report: { summary: 'Cũ' },
        });
        expectError(result, 'CONFLICT');
        expectError(
          await transition(server, officer, { taskId: id, event: 'SUBMIT_REPORT', expectedVersion: 7, report: { summary: 'Tương lai' } }),
          'CONFLICT',
        );
      });
      const ok = await fire(server, officer, { taskId: id, event: 'SUBMIT_REPORT', expectedVersion: 1, report: { summary: 'Mới' } });
      expect(ok.version).toBe(2);
    });

    it('does return the same result and append one event when an idempotencyKey is reused', async () => {
      const id = taskIds[5];
      const key = `start-${randomUUID()}`;
      const first = await fire(server, officer, { taskId: id, event: 'START', idempotencyKey: key });
      const again = await fire(server, officer, { taskId: id, event: 'START', idempotencyKey: key });
      const third = await fire(server, officer, { taskId: id, event: 'START', idempotencyKey: key, expectedVersion: 0 });
      for (const result of [again, third]) {
        expect({ state: result.state, version: result.version, history: result.history }).toEqual({
          state: first.state,
          version: first.version,
          history: first.history,
        });
      }
      expect(first).toMatchObject({ state: 'IN_PROGRESS', version: 1 });
      expect(await snapshot(id)).toEqual({ state: 'IN_PROGRESS', version: 1, events: 1 });
    });

    it('does answer CONFLICT when an idempotencyKey is reused for a different event', async () => {
      const id = taskIds[5];
      const key = `submit-${randomUUID()}`;
      await fire(server, officer, { taskId: id, event: 'SUBMIT_REPORT', idempotencyKey: key, report: { summary: 'Một lần' } });
      await expectRefusedUnchanged(id, async () => {
        // the same sender: a key is scoped to the task and the user who sent it
        const result = await transition(server, officer, { taskId: id, event: 'START', idempotencyKey: key });
        expectError(result, 'CONFLICT');
      });
      expect((await current(id)).state).toBe('REPORTED');
    });

    it('does return the first result when an idempotencyKey is retried after the task moved on', async () => {
      const id = taskIds[8];
      const key = `start-${randomUUID()}`;
      const first = await fire(server, officer, { taskId: id, event: 'START', idempotencyKey: key });
      await fire(server, officer, { taskId: id, event: 'SUBMIT_REPORT', report: { summary: 'Sau đó' } });
      const retried = await fire(server, officer, { taskId: id, event: 'START', idempotencyKey: key });
      expect(await snapshot(id)).toEqual({ state: 'REPORTED', version: 2, events: 2 });
      // TransitionInput.idempotencyKey: "Retrying with the same key returns the first result and appends nothing"
      expect({ state: retried.state, version: retried.version }).toEqual({ state: first.state, version: first.version });
    });

    it("does answer FORBIDDEN when a user not allowed the event replays another user's idempotencyKey", async () => {
      const id = taskIds[9];
      const key = `start-${randomUUID()}`;
      await fire(server, officer, { taskId: id, event: 'START', idempotencyKey: key });
      const coordinating = await token(province.code, AGENCIES.ict.code, ['OFFICER'], 'officer-coordinating');
      const auditor = await token('*', 'kiem-toan', ['AUDITOR'], 'auditor-national');
      await expectRefusedUnchanged(id, async () => {
        expectError(
          await transition(server, coordinating, { taskId: id, event: 'START', idempotencyKey: key }),
          'FORBIDDEN',
          'no-rule-allows',
        );
        expectError(
          await transition(server, auditor, { taskId: id, event: 'START', idempotencyKey: key }),
          'FORBIDDEN',
          'auditor-changes-nothing',
        );
      });
    });

    it('does accept exactly one of 50 concurrent STARTs with the same expectedVersion', async () => {
      const id = taskIds[6];
      const results = await Promise.all(
        Array.from({ length: 50 }, () => transition(server, officer, { taskId: id, event: 'START', expectedVersion: 0 })),
      );
      const succeeded = results.filter((r) => !r.errors && r.data?.transitionTask);
      expect(succeeded).toHaveLength(1);
      expect(succeeded[0].data!.transitionTask).toMatchObject({ state: 'IN_PROGRESS', version: 1 });
      const failures = results.filter((r) => r.errors);
      expect(failures).toHaveLength(49);
      for (const failure of failures) {
        expect(failure.status).not.toBe(500);
        expect(errorCodes(failure)).toHaveLength(1);
        expect(['CONFLICT', 'INVALID_TRANSITION']).toContain(errorCodes(failure)[0]);
      }
      const rows = await withPg(async (client) => (await client.query('SELECT type FROM task_events WHERE task_id = $1', [id])).rows);
      expect(rows).toEqual([{ type: 'START' }]);
      expect(await snapshot(id)).toEqual({ state: 'IN_PROGRESS', version: 1, events: 1 });
    });
  });

  describe('request errors', () => {
    it('does answer BAD_USER_INPUT, never 500, when the query has a syntax error', async () => {
      const result = await gql(server, officer, '{ plans { id ');
      expectError(result, 'BAD_USER_INPUT');
      expect(result.status).toBeLessThan(500);
    });

    it('does answer BAD_USER_INPUT, never 500, when the query asks for an unknown field', async () => {
      const result = await gql(server, officer, '{ plans { id noSuchField } }');
      expectError(result, 'BAD_USER_INPUT');
      expect(result.status).toBeLessThan(500);
    });

    it('does answer BAD_USER_INPUT, never 500, when a variable has the wrong type', async () => {
      const result = await gql(server, officer, 'mutation M($input: TransitionInput!) { transitionTask(input: $input) { id } }', {
        input: { taskId: taskIds[7], event: 'FLY_AWAY' },
      });
      expectError(result, 'BAD_USER_INPUT');
      expect(result.status).toBeLessThan(500);
    });

    it('does answer BAD_USER_INPUT when the query is nested deeper than 10 levels', async () => {
      const deep = `query Deep($id: ID!) { task(id: $id) { plan { tasks(first: 1) { edges { node { plan { tasks(first: 1) { edges { node {
        plan { tasks(first: 1) { edges { node { id } } } } } } } } } } } } } }`;
      const result = await gql(server, officer, deep, { id: taskIds[7] });
      expectError(result, 'BAD_USER_INPUT', /depth/i);
      expect(result.data ?? null).toBeNull();
    });

    it('does answer BAD_USER_INPUT when first is 1000 or outside 1..100', async () => {
      expectError(
        await gql(server, officer, 'query P($id: ID!) { tasks(planId: $id, first: 1000) { totalCount } }', { id: planId }),
        'BAD_USER_INPUT',
      );
      expectError(
        await gql(server, officer, 'query P($id: ID!) { plan(id: $id) { tasks(first: 1000) { totalCount } } }', { id: planId }),
        'BAD_USER_INPUT',
      );
      expectError(await gql(server, officer, 'query P($n: Int) { tasks(first: $n) { totalCount } }', { n: 1000 }), 'BAD_USER_INPUT');
      for (const n of [0, -1, 101]) {
        expectError(await gql(server, officer, 'query P($n: Int) { tasks(first: $n) { totalCount } }', { n }), 'BAD_USER_INPUT');
      }
    });
  });
});
