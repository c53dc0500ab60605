import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { CONSOLE_CSP } from '../../apps/api/src/console/console-route';
import { signToken } from '../../apps/api/src/auth/jwt.service';
import { gql, startApiServer, TEST_JWT_SECRET, token, type ApiServer } from '../support/api-server';
import { fire } from '../support/e2e-helpers';
import { AGENCIES, seedPlan, testPlan, uniqueProvince } from '../support/fixtures';

// The supervisor's console in a real browser: Debian's chromium driven by playwright-core (no
// browser download), against the real API server on the real PostgreSQL.
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
let shots: string | null = null; // a temp directory, made at the first failure
const WAIT = { timeout: 30_000 }; // generous bounds on waiting, never asserted as a time

const MARKUP_TITLE = 'Nhiệm vụ <b>in đậm</b> <img src="x" onerror="window.__injected = true">';

describe('the supervisor console (/console) in chromium', () => {
  const province = uniqueProvince('console');
  let server: ApiServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let planId: string;
  let tasks: string[];
  let supervisor: string;
  let lead: string;
  let coordinator: string;
  const pageProblems: string[] = []; // page errors and console errors (a CSP refusal is one)

  beforeAll(async () => {
    ({ planId } = await seedPlan(testPlan(province, [{}, {}, { title: MARKUP_TITLE }, {}])));
    server = await startApiServer();
    supervisor = await token(province.code, AGENCIES.monitoring.code, ['SUPERVISOR'], 'console-supervisor');
    lead = await token(province.code, AGENCIES.justice.code, ['OFFICER'], 'console-lead');
    coordinator = await token(province.code, AGENCIES.ict.code, ['OFFICER'], 'console-coordinator');
    const listed = await gql<{ tasks: { edges: { node: { id: string } }[] } }>(
      server,
      lead,
      'query T($planId: ID!) { tasks(planId: $planId, first: 10) { edges { node { id } } } }',
      { planId },
    );
    tasks = listed.data!.tasks.edges.map((edge) => edge.node.id);
    expect(tasks).toHaveLength(4);
    // tasks 0 and 1 wait for a verdict; tasks 2 and 3 are in progress (task 3 takes the probes)
    for (const taskId of tasks) await fire(server, lead, { taskId, event: 'START' });
    for (const [i, taskId] of tasks.slice(0, 2).entries()) {
      await fire(server, lead, { taskId, event: 'SUBMIT_REPORT', report: { summary: `Báo cáo kết quả nhiệm vụ ${i + 1}` } });
    }
    if (!existsSync(CHROMIUM)) {
      throw new Error(`No chromium at ${CHROMIUM}: install Debian's chromium package (apt-get install chromium) or set CHROMIUM_PATH`);
    }
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    context = await browser.newContext();
    page = await context.newPage();
    page.on('pageerror', (error) => pageProblems.push(`pageerror: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') pageProblems.push(`console: ${message.text()}`);
    });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  // A failing step leaves a screenshot of the page behind.
  async function step(name: string, work: () => Promise<void>, on: Page = page): Promise<void> {
    try {
      await work();
    } catch (error) {
      shots ??= mkdtempSync(join(tmpdir(), 'console-browser-'));
      const path = join(shots, `${name.replace(/[^a-z0-9]+/gi, '-')}.png`);
      await on.screenshot({ path, fullPage: true }).catch(() => undefined);
      throw Object.assign(error as Error, { message: `${(error as Error).message}\n(screenshot: ${path})` });
    }
  }

  const cell = (p: Page, agency: string, field: string) =>
    p.locator(`#scorecard-body tr[data-agency="${agency}"] td[data-field="${field}"]`);
  const reportedItem = (p: Page, taskId: string) => p.locator(`#reported-list li[data-task-id="${taskId}"]`);

  async function signIn(p: Page, jwt: string): Promise<void> {
    await p.goto(`${server.url}/console`);
    await p.fill('#token-input', jwt);
    await p.click('#sign-in-button');
  }

  it('does serve the page and its scripts from /console under a CSP that allows only same-origin scripts', async () => {
    for (const path of ['/console', '/console/', '/console/console.js', '/console/console.css', '/console/graphql-ws.min.js']) {
      const response = await fetch(`${server.url}${path}`);
      expect({ path, status: response.status }).toEqual({ path, status: 200 });
      expect(response.headers.get('content-security-policy')).toBe(CONSOLE_CSP);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    }
    expect(CONSOLE_CSP).toContain("script-src 'self'");
    expect(CONSOLE_CSP).not.toContain('unsafe-inline');
    const html = await (await fetch(`${server.url}/console`)).text();
    // every script is a file of its own: nothing inline for the CSP to refuse
    expect(html.match(/<script\b[^>]*>/g)).toEqual([
      '<script src="/console/graphql-ws.min.js" defer>',
      '<script src="/console/console.js" defer>',
    ]);
    expect(html).not.toMatch(/<script\b[^>]*>[^<]+<\/script>/);
    expect(html).not.toMatch(/\son[a-z]+=/i);
    // nothing outside the fixed list of files
    for (const path of ['/console/index.html', '/console/../package.json', '/console/%2e%2e/package.json', '/console/app.module.js']) {
      expect({ path, status: (await fetch(`${server.url}${path}`)).status }).toEqual({ path, status: 404 });
    }
  });

  it('does show the API message for a wrong or an expired token and keeps neither in sessionStorage', async () => {
    const wrong = `${supervisor.slice(0, -4)}AAAA`; // the signature no longer matches
    const expired = await signToken(
      { sub: 'console-supervisor', province: province.code, agency: AGENCIES.monitoring.code, roles: ['SUPERVISOR'] },
      TEST_JWT_SECRET,
      '-1h',
    );
    for (const [name, jwt] of [
      ['wrong', wrong],
      ['expired', expired],
    ]) {
      const api = await gql(server, jwt, '{ me { userId } }');
      expect(api.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      await step(`${name} token`, async () => {
        await signIn(page, jwt);
        await page.waitForSelector('#error:not([hidden])', WAIT);
        expect(await page.textContent('#error')).toBe(`Lỗi: ${api.errors![0].message} (UNAUTHENTICATED)`);
        expect(await page.isVisible('#sign-in')).toBe(true);
        expect(await page.isVisible('#workspace')).toBe(false);
        expect(await page.evaluate("sessionStorage.getItem('console.token')")).toBeNull();
      });
    }
  });

  it('does sign a supervisor in, show the scorecard and the reports waiting, and keep the token across a reload', async () => {
    await step('sign in', async () => {
      await signIn(page, supervisor);
      await page.click(`#plan-list button[data-plan-id="${planId}"]`);
      await cell(page, AGENCIES.justice.code, 'led').filter({ hasText: '4' }).waitFor(WAIT);
      expect(await cell(page, AGENCIES.justice.code, 'verifiedOnTime').textContent()).toBe('0');
      expect(await cell(page, AGENCIES.justice.code, 'pendingWithinDeadline').textContent()).toBe('4');
      expect(await page.locator('#reported-list li[data-task-id]').count()).toBe(2);
      await expect(reportedItem(page, tasks[0]).locator('.report').textContent()).resolves.toBe('Báo cáo kết quả nhiệm vụ 1');
      await expect(reportedItem(page, tasks[0]).locator('button[data-action="approve"]').textContent()).resolves.toBe('Duyệt');
      expect(await page.evaluate("sessionStorage.getItem('console.token')")).toBe(supervisor);

      // the token is pasted once: a reload signs in from sessionStorage
      await page.reload();
      await cell(page, AGENCIES.justice.code, 'led').filter({ hasText: '4' }).waitFor(WAIT);
      expect(await page.isVisible('#sign-in')).toBe(false);
      await page.waitForSelector('#live-status[data-state="on"]', WAIT);
    });
  });

  it('does show an officer of the lead agency the reports without Approve or Reject', async () => {
    const officerContext = await browser.newContext();
    const officerPage = await officerContext.newPage();
    try {
      await step(
        'officer',
        async () => {
          await signIn(officerPage, lead);
          await officerPage.click(`#plan-list button[data-plan-id="${planId}"]`);
          await reportedItem(officerPage, tasks[0]).waitFor(WAIT);
          expect(await officerPage.locator('#reported-list button[data-action]').count()).toBe(0);
          expect(await reportedItem(officerPage, tasks[0]).locator('.actions').textContent()).toBe(
            'Mã truy cập này không có quyền duyệt nhiệm vụ này.',
          );
        },
        officerPage,
      );
    } finally {
      await officerContext.close();
    }
  });

  it('does approve a report and show the changed scorecard without a reload, then a change made by another client live', async () => {
    await step('approve and live', async () => {
      await page.evaluate('window.__sameDocument = true');
      let navigations = 0;
      page.on('framenavigated', (frame) => {
        if (frame === page.mainFrame()) navigations += 1;
      });
      // the subscription is registered on the server asynchronously: a change that leaves the
      // state as it is (a coordinating agency's input) shows when it is live
      await fire(server, coordinator, { taskId: tasks[3], event: 'CONTRIBUTE', comment: 'Ý kiến phối hợp' });
      await page.locator('#live-status:not([data-events="0"])').waitFor(WAIT);

      await reportedItem(page, tasks[0]).locator('button[data-action="approve"]').click();
      await cell(page, AGENCIES.justice.code, 'verifiedOnTime').filter({ hasText: '1' }).waitFor(WAIT);
      expect(await cell(page, AGENCIES.justice.code, 'pendingWithinDeadline').textContent()).toBe('3');
      expect(await page.locator('#scorecard-total td[data-field="verifiedOnTime"]').textContent()).toBe('1');
      await reportedItem(page, tasks[0]).waitFor({ state: 'detached', ...WAIT });
      expect(await page.textContent('#notice')).toContain('Đã duyệt');

      // the verdict is the API's: the task is VERIFIED, once
      const task = await gql<{ task: { state: string; history: { type: string; actor: string }[] } }>(
        server,
        supervisor,
        'query T($id: ID!) { task(id: $id) { state history { type actor } } }',
        { id: tasks[0] },
      );
      expect(task.data!.task.state).toBe('VERIFIED');
      expect(task.data!.task.history.filter((event) => event.type === 'VERIFY')).toEqual([{ type: 'VERIFY', actor: 'console-supervisor' }]);

      // another client (the lead agency's officer, over GraphQL) submits a report on task 2: the page shows it
      await fire(server, lead, { taskId: tasks[2], event: 'SUBMIT_REPORT', report: { summary: 'Đã hoàn thành <script>x</script>' } });
      await reportedItem(page, tasks[2]).waitFor(WAIT);
      expect(await reportedItem(page, tasks[2]).locator('.report').textContent()).toBe('Đã hoàn thành <script>x</script>');
      expect(await page.textContent('#reported-count')).toBe('(2)');

      expect(navigations).toBe(0);
      expect(await page.evaluate('window.__sameDocument')).toBe(true);
    });
  });

  it('does show the markup of API data as text, never as elements', async () => {
    await step('markup as text', async () => {
      const title = reportedItem(page, tasks[2]).locator('.task-title');
      expect(await title.textContent()).toBe(`I. Nhóm nhiệm vụ thử nghiệm · 3. ${MARKUP_TITLE}`);
      expect(await page.locator('#reported-list img, #reported-list b, #reported-list script').count()).toBe(0);
      expect(await page.evaluate('window.__injected')).toBeUndefined();
    });
  });

  it('does show the API error for a reject without a comment and changes nothing, then rejects with one', async () => {
    await step('reject', async () => {
      const item = reportedItem(page, tasks[1]);
      await item.locator('button[data-action="reject"]').click();
      // a live refresh that redraws the list meanwhile leaves the form open
      const renders = Number(await page.getAttribute('#plan-view', 'data-renders'));
      await fire(server, coordinator, { taskId: tasks[3], event: 'CONTRIBUTE', comment: 'Ý kiến phối hợp lần 2' });
      await page.locator(`#plan-view:not([data-renders="${renders}"])`).waitFor(WAIT);
      expect(await item.locator('.reject-form').isVisible()).toBe(true);
      await item.locator('button[data-action="confirm-reject"]').click();
      await page.waitForSelector('#error:not([hidden])', WAIT);
      const direct = await gql(
        server,
        supervisor,
        'mutation R($id: ID!) { transitionTask(input: { taskId: $id, event: REJECT }) { id } }',
        {
          id: tasks[1],
        },
      );
      expect(direct.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(await page.textContent('#error')).toContain(direct.errors![0].message);
      expect(await page.getAttribute('#error', 'data-code')).toBe('BAD_USER_INPUT');
      expect(await item.count()).toBe(1);

      await item.locator('textarea').fill('Thiếu số liệu kèm theo');
      await item.locator('button[data-action="confirm-reject"]').click();
      await item.waitFor({ state: 'detached', ...WAIT });
      const task = await gql<{ task: { state: string; history: { type: string; comment: string | null }[] } }>(
        server,
        supervisor,
        'query T($id: ID!) { task(id: $id) { state history { type comment } } }',
        { id: tasks[1] },
      );
      expect(task.data!.task.state).toBe('IN_PROGRESS');
      expect(task.data!.task.history.filter((event) => event.type === 'REJECT')).toEqual([
        { type: 'REJECT', comment: 'Thiếu số liệu kèm theo' },
      ]);
    });
  });

  it("does show a task's timeline when its title is clicked", async () => {
    await step('timeline', async () => {
      await reportedItem(page, tasks[2]).locator('.task-title').click();
      await page.waitForSelector(`#timeline[data-task-id="${tasks[2]}"]:not([hidden])`, WAIT);
      const states = await page.locator('#timeline-body tr').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-state')));
      expect(states).toEqual(['ASSIGNED', 'IN_PROGRESS', 'REPORTED']);
      const events = await page.locator('#history-list li').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-type')));
      expect(events).toEqual(['START', 'SUBMIT_REPORT']);
    });
  });

  it('does show CONFLICT for a verdict on a task changed since it was shown, then the list as it is now', async () => {
    const staleContext = await browser.newContext();
    // this page hears no live update: the websocket is answered by nobody
    await staleContext.routeWebSocket(/\/graphql$/, () => undefined);
    const stale = await staleContext.newPage();
    try {
      await step(
        'conflict',
        async () => {
          await signIn(stale, supervisor);
          await reportedItem(stale, tasks[2]).waitFor(WAIT);
          const shown = Number(await reportedItem(stale, tasks[2]).getAttribute('data-version'));
          // another supervisor's client decides first
          await fire(server, supervisor, { taskId: tasks[2], event: 'VERIFY', expectedVersion: shown });
          await reportedItem(stale, tasks[2]).locator('button[data-action="approve"]').click();
          await stale.waitForSelector('#error:not([hidden])', WAIT);
          expect(await stale.getAttribute('#error', 'data-code')).toBe('CONFLICT');
          await reportedItem(stale, tasks[2]).waitFor({ state: 'detached', ...WAIT });
          expect(await stale.textContent('#live-status')).toBe('Ngoại tuyến');
        },
        stale,
      );
    } finally {
      await staleContext.close();
    }
    const verifies = await gql<{ task: { history: { type: string }[] } }>(
      server,
      supervisor,
      'query T($id: ID!) { task(id: $id) { history { type } } }',
      { id: tasks[2] },
    );
    expect(verifies.data!.task.history.filter((event) => event.type === 'VERIFY')).toHaveLength(1);
  });

  it('does sign out: the token leaves sessionStorage and a reload asks for it again', async () => {
    await step('sign out', async () => {
      await page.click('#sign-out');
      expect(await page.isVisible('#sign-in')).toBe(true);
      expect(await page.evaluate("sessionStorage.getItem('console.token')")).toBeNull();
      await page.reload();
      await page.waitForSelector('body[data-ready="true"]', WAIT);
      expect(await page.isVisible('#sign-in')).toBe(true);
      expect(await page.isVisible('#workspace')).toBe(false);
    });
    // no script was refused by the CSP and nothing threw on the page (the wrong token's 401 aside)
    expect(pageProblems.filter((problem) => !problem.includes('401'))).toEqual([]);
  });
});

describe('the supervisor console when CONSOLE_ENABLED=false', () => {
  let server: ApiServer;

  beforeAll(async () => {
    server = await startApiServer({ CONSOLE_ENABLED: 'false' });
  });

  afterAll(async () => {
    await server?.stop();
  });

  it('does not serve /console (404) while the API answers', async () => {
    for (const path of ['/console', '/console/', '/console/console.js', '/console/graphql-ws.min.js']) {
      expect({ path, status: (await fetch(`${server.url}${path}`)).status }).toEqual({ path, status: 404 });
    }
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
  });
});

describe('the supervisor console under NODE_ENV=production', () => {
  const province = uniqueProvince('console-prod');
  let off: ApiServer;
  let on: ApiServer;
  let browser: Browser;

  beforeAll(async () => {
    await seedPlan(testPlan(province, [{}]));
    [off, on] = await Promise.all([
      startApiServer({ NODE_ENV: 'production' }),
      startApiServer({ NODE_ENV: 'production', CONSOLE_ENABLED: 'true' }),
    ]);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });

  afterAll(async () => {
    await browser?.close();
    await Promise.all([off?.stop(), on?.stop()]);
  });

  it('is off unless CONSOLE_ENABLED=true, and then works under the production headers with its own CSP alone', async () => {
    expect((await fetch(`${off.url}/console`)).status).toBe(404);
    const response = await fetch(`${on.url}/console`);
    expect(response.status).toBe(200);
    // one policy, the console's (helmet's own production policy is not sent beside it)
    expect(response.headers.get('content-security-policy')).toBe(CONSOLE_CSP);

    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    await page.goto(`${on.url}/console`);
    await page.fill('#token-input', await token(province.code, AGENCIES.monitoring.code, ['SUPERVISOR'], 'console-prod-supervisor'));
    await page.click('#sign-in-button');
    await page.locator('#scorecard-body tr[data-agency="so-tu-phap"] td[data-field="led"]').filter({ hasText: '1' }).waitFor(WAIT);
    await page.locator('#live-status[data-state="on"]').waitFor(WAIT);
    expect(problems).toEqual([]);
  });
});
