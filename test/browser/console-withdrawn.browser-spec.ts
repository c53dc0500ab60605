import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { endOfLocalDayUtc } from '@app/plan-import';
import { systemClock } from '../../apps/api/src/common/clock';
import { Scope } from '../../apps/api/src/common/scope';
import { createDataSource } from '../../apps/api/src/database/data-source';
import { createServices } from '../../apps/api/src/services';
import { applySystemEvent } from '../../apps/api/src/test-support/system-events';
import { gql, startApiServer, token, type ApiServer } from '../support/api-server';
import { fire } from '../support/e2e-helpers';
import { AGENCIES, seedPlan, testPlan, uniqueProvince } from '../support/fixtures';

// The supervisor's console and a plan amendment: a task the amended plan withdrew is shown greyed
// with its state's label and reason, in a list of its own, never among the overdue tasks.
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const WAIT = { timeout: 30_000 };
const REASON = 'Kế hoạch sửa đổi không còn nhiệm vụ này';

describe('the supervisor console (/console) and withdrawn tasks, in chromium', () => {
  const province = uniqueProvince('console-withdrawn');
  let server: ApiServer;
  let browser: Browser;
  let page: Page;
  let planId: string;
  let tasks: string[];
  const pageProblems: string[] = [];

  beforeAll(async () => {
    // tasks 0 and 1 were due in 2020: the sweep makes them OVERDUE; the plan then withdraws task 1
    const past = endOfLocalDayUtc('2020-12-31');
    ({ planId } = await seedPlan(testPlan(province, [{ dueAt: past }, { dueAt: past, title: 'Nhiệm vụ sẽ rút' }, {}])));
    server = await startApiServer();
    const lead = await token(province.code, AGENCIES.justice.code, ['OFFICER'], 'console-lead');
    const listed = await gql<{ tasks: { edges: { node: { id: string } }[] } }>(
      server,
      lead,
      'query T($planId: ID!) { tasks(planId: $planId, first: 10) { edges { node { id } } } }',
      { planId },
    );
    tasks = listed.data!.tasks.edges.map((edge) => edge.node.id);
    await fire(server, lead, { taskId: tasks[2], event: 'START' });
    const ds = createDataSource(process.env.TEST_DATABASE_URL!);
    await ds.initialize();
    try {
      await createServices({ dataSource: ds, clock: systemClock }).sweeper.sweep(Scope.province(province.code), new Date());
      await applySystemEvent(
        ds,
        tasks[1],
        { type: 'AMEND', changes: [{ field: 'title', from: 'Nhiệm vụ sẽ rút', to: 'Nhiệm vụ đã đổi tên' }] },
        new Date(),
      );
      await applySystemEvent(ds, tasks[1], { type: 'WITHDRAW', reason: REASON, amendment: { version: 2 } }, new Date());
    } finally {
      await ds.destroy();
    }
    if (!existsSync(CHROMIUM)) throw new Error(`No chromium at ${CHROMIUM}: apt-get install chromium, or set CHROMIUM_PATH`);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
    page = await (await browser.newContext()).newPage();
    page.on('pageerror', (error) => pageProblems.push(`pageerror: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') pageProblems.push(`console: ${message.text()}`);
    });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('does show the withdrawn task greyed with its label and reason, not among the overdue, and apart in the scorecard', async () => {
    const supervisor = await token(province.code, AGENCIES.monitoring.code, ['SUPERVISOR'], 'console-supervisor');
    await page.goto(`${server.url}/console`);
    await page.fill('#token-input', supervisor);
    await page.click('#sign-in-button');
    await page.click(`#plan-list button[data-plan-id="${planId}"]`);
    const withdrawn = page.locator(`#withdrawn-list li[data-task-id="${tasks[1]}"]`);
    await withdrawn.waitFor(WAIT);
    await page.waitForSelector('#live-status[data-state="on"]', WAIT);

    // the overdue list: task 0 only
    expect(
      await page.locator('#overdue-list li[data-task-id]').evaluateAll((items) => items.map((li) => li.getAttribute('data-task-id'))),
    ).toEqual([tasks[0]]);
    expect(await page.textContent('#overdue-count')).toBe('(1)');
    expect(await page.textContent('#withdrawn-count')).toBe('(1)');
    // greyed, labelled, with the reason
    expect(await withdrawn.getAttribute('class')).toBe('withdrawn');
    expect(await withdrawn.getAttribute('data-state')).toBe('WITHDRAWN');
    expect(await withdrawn.locator('.state-label').textContent()).toBe('Đã rút khỏi kế hoạch');
    expect(await withdrawn.locator('.reason').textContent()).toBe(`Lý do: ${REASON}`);
    // read in one evaluation: a live refresh may redraw the list between two steps
    expect(await page.evaluate(`getComputedStyle(document.querySelector('#withdrawn-list li[data-task-id="${tasks[1]}"]')).color`)).toBe(
      'rgb(138, 138, 138)',
    );
    // the scorecard: 2 tasks led (one overdue), 1 withdrawn counted apart
    const cell = (field: string) => page.locator(`#scorecard-body tr[data-agency="${AGENCIES.justice.code}"] td[data-field="${field}"]`);
    expect(await cell('led').textContent()).toBe('2');
    expect(await cell('overdue').textContent()).toBe('1');
    expect(await cell('withdrawn').textContent()).toBe('1');

    // its timeline: the state entered, the AMEND's change and the WITHDRAW's reason
    await withdrawn.locator('button.task-title').click();
    await page.waitForSelector(`#timeline[data-task-id="${tasks[1]}"]:not([hidden])`, WAIT);
    const states = await page.locator('#timeline-body tr').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-state')));
    expect(states).toEqual(['ASSIGNED', 'OVERDUE', 'WITHDRAWN']);
    expect(await page.locator('#history-list li[data-type="AMEND"] .changes').textContent()).toBe(
      'title: Nhiệm vụ sẽ rút → Nhiệm vụ đã đổi tên',
    );
    expect(await page.locator('#history-list li[data-type="WITHDRAW"] .report').first().textContent()).toBe(REASON);
    expect(pageProblems).toEqual([]);
  });
});
