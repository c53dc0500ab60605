import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { DataSource } from 'typeorm';
import { Scope } from '../common/scope';
import { createRepositories, type Repositories } from './repositories';
import { seedPlan, uniqueProvince, type SeededPlan } from '../test-support/int-helpers';
import { openRecordedDataSource, type SqlRecorder } from '../test-support/sql-recorder';

const SQL_DIR = resolve(__dirname, '../../../../docs/sql');
const ROLLBACK = new Error('rollback: documentation run');
const CONTROL = /^(START TRANSACTION|COMMIT|ROLLBACK)/;

type Calls = Record<string, (repos: Repositories, s: SeededPlan) => Promise<unknown>>;

// Every repository method, called with fixed-size arguments so that its SQL text is stable.
const CALLS: Record<string, Calls> = {
  agency: {
    listForProvince: (r, s) => r.agencies.listForProvince(Scope.province(s.province.code), s.province.code),
    findByCode: (r, s) => r.agencies.findByCode(s.province.code, 'so-tu-phap'),
    findById: (r, s) => r.agencies.findById(Scope.province(s.province.code), s.agencies.justice),
    byIds: (r, s) => r.agencies.byIds(Scope.province(s.province.code), [s.agencies.justice, s.agencies.ict]),
    membersOf: (r, s) => r.agencies.membersOf(Scope.province(s.province.code), [s.agencies.justice]),
    provincesByCodes: (r, s) => r.agencies.provincesByCodes(Scope.province(s.province.code), [s.province.code]),
    provinceName: (r, s) => r.agencies.provinceName(s.province.code),
    provinceExists: (r, s) => r.agencies.provinceExists(s.province.code),
    knownAgencies: (r, s) => r.agencies.knownAgencies(Scope.province(s.province.code), s.province.code),
    ensureForPlan: (r, s) => rolledBack(r, (tx) => r.agencies.ensureForPlan(tx, s.province, [{ code: 'so-y-te', name: 'Sở Y tế' }])),
  },
  plan: {
    list: (r, s) => r.plans.list(Scope.province(s.province.code)),
    findById: (r, s) => r.plans.findById(Scope.province(s.province.code), s.planId),
    byIds: (r, s) => r.plans.byIds(Scope.province(s.province.code), [s.planId]),
    sectionsByIds: (r, s) => r.plans.sectionsByIds(Scope.province(s.province.code), [s.planId]),
    any: (r) => r.plans.any(),
    progress: (r, s) => r.plans.progress(Scope.province(s.province.code), [s.planId]),
    findWithProgress: (r, s) => r.plans.findWithProgress(Scope.province(s.province.code), s.planId),
    findBySourceHash: (r, s) => rolledBack(r, (tx) => r.plans.findBySourceHash(tx, s.province.code, 'f'.repeat(64))),
    findByNumber: (r, s) => rolledBack(r, (tx) => r.plans.findByNumber(tx, s.province.code, '1/KH-UBND', '2030-01-15')),
  },
  task: {
    findById: (r, s) => r.tasks.findById(Scope.province(s.province.code), s.taskIds[0]),
    byIds: (r, s) => r.tasks.byIds(Scope.province(s.province.code), [s.taskIds[0]]),
    childrenOf: (r, s) => r.tasks.childrenOf(Scope.province(s.province.code), [s.taskIds[0]]),
    coordinatorsOf: (r, s) => r.tasks.coordinatorsOf(Scope.province(s.province.code), [s.taskIds[0]]),
    page: (r, s) =>
      r.tasks.page(Scope.province(s.province.code), {
        planId: s.planId,
        state: 'ASSIGNED',
        agencyId: s.agencies.justice,
        afterSortKey: '1',
        first: 20,
      }),
    leafTasksOfPlan: (r, s) => r.tasks.leafTasksOfPlan(Scope.province(s.province.code), s.planId),
    planTasksAfter: (r, s) =>
      r.transactions.readSnapshot((tx) =>
        r.tasks.planTasksAfter(tx, Scope.province(s.province.code), { provinceCode: s.province.code, id: s.planId }, s.taskIds[0], 500),
      ),
    leafTasksOfAgency: (r, s) => r.tasks.leafTasksOfAgency(Scope.province(s.province.code), s.agencies.justice, 'OVERDUE'),
    authorizationRows: (r, s) => r.tasks.authorizationRows(Scope.province(s.province.code), [s.taskIds[0]]),
    loadForTransition: (r, s) =>
      rolledBack(r, async (tx) => {
        const scope = Scope.province(s.province.code);
        await r.tasks.loadForTransition(tx, scope, s.taskIds[0], { actor: 'u', key: 'key' }, false);
        await r.tasks.loadForTransition(tx, scope, s.taskIds[0], { actor: 'u', key: 'key' }, true);
      }),
    lockParent: (r, s) => rolledBack(r, (tx) => r.tasks.lockParent(tx, s.province.code, s.taskIds[0])),
    lockDue: (r, s) =>
      rolledBack(r, (tx) => r.tasks.lockDue(tx, Scope.province(s.province.code), new Date('2031-01-01T00:00:00Z'), [], 200)),
    applyTransitions: (r, s) =>
      rolledBack(r, async (tx) => {
        const task = (await r.tasks.findById(Scope.province(s.province.code), s.taskIds[0]))!;
        const event = {
          seq: 1,
          type: 'START' as const,
          fromState: 'ASSIGNED' as const,
          toState: 'IN_PROGRESS' as const,
          actor: 'u',
          actorAgencyId: null,
          at: new Date(),
          payload: {},
          idempotencyKey: null,
          machineVersion: 2,
          prevHash: 'p',
          hash: 'h',
        };
        await r.tasks.applyTransitions(tx, [
          { provinceCode: task.provinceCode, taskId: task.id, event, task: { ...task, version: 1, lastHash: 'h' } },
        ]);
      }),
  },
  'task-event': {
    eventsOf: (r, s) => r.events.eventsOf(Scope.province(s.province.code), [s.taskIds[0]]),
    historyPage: (r, s) =>
      r.transactions.readSnapshot((tx) =>
        r.events.historyPage(tx, Scope.province(s.province.code), s.province.code, s.taskIds, { taskId: s.taskIds[0], seq: 3 }, 5000),
      ),
    findByIdempotencyKey: (r, s) => rolledBack(r, (tx) => r.events.findByIdempotencyKey(tx, s.province.code, s.taskIds[0], 'u', 'key')),
    eventsUpTo: (r, s) => rolledBack(r, (tx) => r.events.eventsUpTo(tx, s.province.code, s.taskIds[0], 3)),
  },
  notification: {
    writeDailyDigests: (r, s) =>
      r.notifications.writeDailyDigests(
        Scope.province(s.province.code),
        new Date('2020-01-01T00:00:00Z'),
        new Date('2020-01-08T00:00:00Z'),
        '2020-01-01',
      ),
    page: (r, s) =>
      r.notifications.page(Scope.province(s.province.code), {
        agencyId: s.agencies.justice,
        undeliveredOnly: true,
        first: 20,
        after: null,
      }),
    findById: (r, s) => r.notifications.findById(Scope.province(s.province.code), s.planId),
  },
  health: {
    check: (r) => r.health.check(),
  },
  scorecard: {
    scores: (r, s) => r.scorecards.scores(Scope.province(s.province.code), s.planId, new Date('2030-07-01T00:00:00Z')),
    tasksAsOf: (r, s) => r.scorecards.tasksAsOf(Scope.province(s.province.code), s.planId, new Date('2030-07-01T00:00:00Z')),
  },
  'period-close': {
    list: (r, s) => r.periodCloses.list(Scope.province(s.province.code), { provinceCode: s.province.code, id: s.planId }),
    find: (r, s) => r.periodCloses.find(Scope.province(s.province.code), { provinceCode: s.province.code, id: s.planId }, '2030-H1'),
    // a close of its own (append-only: it stays), so the statements are those of a first close
    append: (r, s) =>
      r.periodCloses.append(
        { provinceCode: s.province.code, id: s.planId },
        {
          period: '2030-H1',
          cutoff: new Date('2030-06-14T16:59:59.999Z'),
          closedAt: new Date('2031-01-01T00:00:00Z'),
          closedBy: 'u',
          closedByAgencyId: null,
          figures: {},
        },
        () => ({ prevHash: 'p', hash: 'h' }),
      ),
    amendments: (r, s) =>
      r.periodCloses.amendments({ provinceCode: s.province.code, id: s.planId }, s.taskIds, new Date('2030-06-14T16:59:59.999Z'), 2000),
  },
  'access-denial': {
    insert: (r, s) =>
      r.accessDenials.insert({
        provinceCode: s.province.code,
        at: new Date('2030-01-01T00:00:00Z'),
        actorSub: 'u',
        actorProvince: s.province.code,
        actorAgency: 'so-tu-phap',
        roles: ['OFFICER'],
        operation: 'VERIFY',
        taskId: s.taskIds[0],
        target: null,
        rule: 'no-rule-allows',
        message: 'Denied',
      }),
    page: (r, s) =>
      r.accessDenials.page(Scope.province(s.province.code), {
        first: 20,
        before: { at: new Date('2031-01-01T00:00:00Z'), id: s.taskIds[0] },
      }),
  },
};

async function rolledBack(repos: Repositories, work: Parameters<Repositories['transactions']['run']>[0]): Promise<void> {
  await repos.transactions
    .run(async (tx) => {
      await work(tx);
      throw ROLLBACK;
    })
    .catch((error: unknown) => {
      if (error !== ROLLBACK) throw error;
    });
}

// As immich does: the SQL each repository method sends is committed, so query changes show in review.
describe('repository SQL (docs/sql)', () => {
  let ds: DataSource;
  let recorder: SqlRecorder;
  let seeded: SeededPlan;

  beforeAll(async () => {
    ({ ds, recorder } = await openRecordedDataSource());
    seeded = await seedPlan(ds, uniqueProvince('int-sql-docs'), [{}, {}]);
  });

  afterAll(async () => ds?.destroy());

  it.each(Object.keys(CALLS))('does keep docs/sql/%s.repository.sql current', async (name) => {
    const repos = createRepositories(ds);
    let text = `-- Generated by apps/api/src/repositories/sql-docs.int-spec.ts from ${name}.repository.ts; do not edit.\n`;
    for (const [method, call] of Object.entries(CALLS[name])) {
      const statements = (await recorder.during(() => call(repos, seeded))).filter((sql) => !CONTROL.test(sql));
      expect(statements.length).toBeGreaterThan(0);
      text += `\n-- ${method}\n${statements.map((sql) => `${sql.trim()};`).join('\n')}\n`;
    }
    const file = resolve(SQL_DIR, `${name}.repository.sql`);
    const committed = existsSync(file) ? readFileSync(file, 'utf8') : '';
    // a stale file is rewritten for the next commit, and this run fails so that nobody misses it
    if (committed !== text) writeFileSync(file, text);
    expect(committed).toBe(text);
  });
});
