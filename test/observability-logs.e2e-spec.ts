import { randomUUID } from 'node:crypto';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { signToken } from '../apps/api/src/auth/jwt.service';
import { TEST_JWT_SECRET, gql, startApiServer, token, type ApiServer } from './support/api-server';
import { AGENCIES, seedPlan, testPlan, uniqueProvince } from './support/fixtures';
import { outputLines, postGraphql, type RawAnswer } from './support/raw-graphql';

// Structured logs (README "Logs and metrics"): every line JSON, one completion line per request that
// names the caller and the operation, the request id shared by the header, the line and every
// error, and no token, secret or user-written text anywhere in the output.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const TRANSITION = `mutation MoveTask($input: TransitionInput!) { transitionTask(input: $input) { id state } }`;

// opens a graphql-ws connection with the token in connection_init, and leaves once it was answered
async function connectAndLeave(server: ApiServer, authorization: string): Promise<void> {
  const client = createClient({
    url: `${server.url.replace('http', 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: { authorization },
    retryAttempts: 0,
    lazy: false,
    onNonLazyError: () => undefined,
  });
  await new Promise<void>((resolve) => {
    client.on('connected', () => resolve());
    client.on('closed', () => resolve());
  });
  await client.dispose();
}

interface LogLine {
  level: string;
  time: string;
  msg: string;
  reqId?: string;
  [field: string]: unknown;
}

describe('structured logs', () => {
  const province = uniqueProvince('logs');
  // a report text, a comment and a reason nobody else writes: none may reach the logs
  const marker = `marker-${randomUUID()}`;
  let server: ApiServer;
  let taskId: string;
  let officer: string;
  let supervisor: string;
  const badToken = signToken(
    { sub: 'intruder', province: province.code, agency: AGENCIES.justice.code, roles: ['OFFICER'] },
    'x'.repeat(40),
  );
  const answers: Record<string, RawAnswer> = {};
  let lines: string[];
  let parsed: LogLine[];
  let wsToken: string;

  beforeAll(async () => {
    const { planId } = await seedPlan(testPlan(province, [{}]));
    server = await startApiServer({ LOG_LEVEL: 'debug', LOG_FORMAT: 'json' });
    officer = await token(province.code, AGENCIES.justice.code, ['OFFICER'], 'officer-logs');
    supervisor = await token(province.code, AGENCIES.monitoring.code, ['SUPERVISOR'], 'supervisor-logs');
    const tasks = await gql(server, supervisor, 'query P($id: ID!) { plan(id: $id) { tasks { edges { node { id } } } } }', { id: planId });
    taskId = tasks.data!.plan.tasks.edges[0].node.id;

    const move = (who: string, input: Record<string, unknown>, headers: Record<string, string> = {}) =>
      postGraphql(server, `Bearer ${who}`, TRANSITION, { input: { taskId, ...input } }, headers);
    answers.start = await move(officer, { event: 'START' }, { 'x-request-id': 'trace-7f3a.start:1' });
    answers.report = await move(officer, { event: 'SUBMIT_REPORT', report: { summary: `Đã hoàn thành ${marker}`, value: marker } });
    // the lead agency may not verify its own report (FORBIDDEN), and the comment is user text too
    answers.refused = await move(officer, { event: 'VERIFY', comment: marker }, { 'x-request-id': '"}{"forged": true' });
    answers.invalid = await move(officer, { event: 'START', comment: marker });
    answers.badToken = await move(await badToken, { event: 'START' }, { 'x-request-id': 'x'.repeat(65) });
    // a GET query: its text and variables ride in the URL, which the line logs without its query string
    const search = new URLSearchParams({
      query: 'query GetPlans($p: String) { plans(provinceCode: $p) { id } }',
      variables: JSON.stringify({ p: marker }),
    });
    const get = await fetch(`${server.url}/graphql?${search}`, {
      headers: { authorization: `Bearer ${supervisor}`, 'mercurius-require-preflight': 'true' },
    });
    answers.get = { status: get.status, headers: get.headers, body: (await get.json()) as RawAnswer['body'] };
    // a websocket's token comes in connection_init; one is accepted, one refused (a bad signature)
    wsToken = await token(province.code, AGENCIES.justice.code, ['OFFICER'], 'officer-ws');
    for (const authorization of [`Bearer ${wsToken}`, `Bearer ${await badToken}x`]) await connectAndLeave(server, authorization);
    lines = await outputLines(server, (all) =>
      Object.values(answers).every((a) => all.some((l) => l.includes(a.headers.get('x-request-id')!))),
    );
    parsed = lines.map((line) => JSON.parse(line) as LogLine);
  });

  afterAll(async () => server?.stop());

  function requestLine(answer: RawAnswer): LogLine {
    const id = answer.headers.get('x-request-id');
    const found = parsed.filter((line) => line.reqId === id && line.msg === 'request completed');
    expect(found).toHaveLength(1);
    return found[0];
  }

  it('does write every line of its output as JSON with a level, a time and a message', () => {
    expect(lines.length).toBeGreaterThan(5);
    for (const line of parsed) {
      expect(typeof line.level).toBe('string');
      expect(Number.isNaN(Date.parse(line.time))).toBe(false);
      expect(typeof line.msg).toBe('string');
    }
    // Nest's own lines (bootstrap) go through the same logger
    expect(parsed.some((line) => line.context === 'Bootstrap' && line.msg.startsWith('Database ready'))).toBe(true);
  });

  it('does write one completion line per request naming the caller, the operation, the time taken and the outcome', () => {
    expect(answers.start.status).toBe(200);
    expect(answers.start.body.data!.transitionTask.state).toBe('IN_PROGRESS');
    const line = requestLine(answers.start);
    expect(line).toMatchObject({
      level: 'info',
      method: 'POST',
      url: '/graphql',
      status: 200,
      sub: 'officer-logs',
      province: province.code,
      agency: AGENCIES.justice.code,
      roles: ['OFFICER'],
      operationName: 'MoveTask',
      operationType: 'mutation',
      outcome: 'ok',
    });
    expect(typeof line.durationMs).toBe('number');
    expect(line.durationMs).toBeGreaterThanOrEqual(0);
    expect(requestLine(answers.report)).toMatchObject({ outcome: 'ok', operationName: 'MoveTask', status: 200 });
  });

  it('does log a GET query by its operation, without the query string', () => {
    expect(requestLine(answers.get)).toMatchObject({ method: 'GET', url: '/graphql', operationName: 'GetPlans', operationType: 'query' });
  });

  it('does keep a safe incoming x-request-id and replace an unsafe or long one', () => {
    expect(answers.start.headers.get('x-request-id')).toBe('trace-7f3a.start:1');
    expect(answers.refused.headers.get('x-request-id')).toMatch(UUID);
    expect(answers.badToken.headers.get('x-request-id')).toMatch(UUID);
    expect(answers.report.headers.get('x-request-id')).toMatch(UUID);
  });

  it('does log a refusal by the rules at warn and one by the machine at info, each with its code and no stack', () => {
    expect(answers.invalid.body.errors!.map((e) => e.extensions!.code)).toEqual(['INVALID_TRANSITION']);
    expect(requestLine(answers.invalid)).toMatchObject({ level: 'info', outcome: 'INVALID_TRANSITION', operationType: 'mutation' });
    expect(requestLine(answers.refused)).toMatchObject({ level: 'warn', outcome: 'FORBIDDEN' });
    expect(parsed.filter((line) => 'stack' in line || 'err' in line)).toEqual([]);
    // what Nest logs while serving the request (at debug, its code only) carries the request's id
    const id = answers.refused.headers.get('x-request-id');
    expect(parsed.filter((line) => line.msg === 'request refused' && line.reqId === id)).toEqual([
      expect.objectContaining({ level: 'debug', code: 'FORBIDDEN', error: 'DomainError' }),
    ]);
  });

  it('does give a refused mutation the request id in its error and its log line', () => {
    expect(answers.refused.body.errors!.map((e) => e.extensions!.code)).toEqual(['FORBIDDEN']);
    const id = answers.refused.headers.get('x-request-id');
    expect(answers.refused.body.errors![0].extensions!.requestId).toBe(id);
    const line = requestLine(answers.refused);
    expect(line).toMatchObject({
      status: 200,
      sub: 'officer-logs',
      province: province.code,
      operationName: 'MoveTask',
      outcome: 'FORBIDDEN',
    });
  });

  it('does give a bad token its request id in the 401 error and log it as UNAUTHENTICATED with no caller', () => {
    expect(answers.badToken.status).toBe(401);
    const id = answers.badToken.headers.get('x-request-id');
    expect(answers.badToken.body.errors![0].extensions).toMatchObject({ code: 'UNAUTHENTICATED', requestId: id });
    expect(requestLine(answers.badToken)).toMatchObject({ level: 'warn', status: 401, sub: null, roles: [], outcome: 'UNAUTHENTICATED' });
  });

  it('does write no token, no secret and no text a user wrote', async () => {
    const output = server.output();
    for (const jwt of [officer, supervisor, await badToken, wsToken]) {
      expect(output).not.toContain(jwt);
      expect(output).not.toContain(jwt.split('.')[2]);
    }
    expect(output).not.toContain(TEST_JWT_SECRET);
    expect(output).not.toContain(marker);
    expect(output).not.toMatch(/bearer\s+ey/i);
    // the operation is named, its text and variables are not logged
    expect(output).not.toContain('transitionTask(input');
    expect(output).not.toContain('SUBMIT_REPORT');
  });
});

describe('LOG_FORMAT=pretty', () => {
  let server: ApiServer;
  beforeAll(async () => (server = await startApiServer({ LOG_LEVEL: 'log', LOG_FORMAT: 'pretty' })));
  afterAll(async () => server?.stop());

  it('does write readable lines, the request line with its fields, and still no token', async () => {
    const jwt = await token('*', 'bo-ke-hoach', ['AUDITOR'], 'auditor-pretty');
    const answer = await postGraphql(server, `Bearer ${jwt}`, 'query PrettyPlans { plans { id } }');
    expect(answer.status).toBe(200);
    const id = answer.headers.get('x-request-id')!;
    const lines = await outputLines(server, (all) => all.some((line) => line.includes(id)));
    const line = lines.find((l) => l.includes(id))!;
    expect(line).toMatch(/^\[\d{2}:\d{2}:\d{2}\.\d{3}\] INFO: request completed /);
    expect(line).toContain('"operationName":"PrettyPlans"');
    expect(line).toContain('"sub":"auditor-pretty"');
    expect(lines.some((l) => l.startsWith('{'))).toBe(false);
    expect(server.output()).not.toContain(jwt);
  });
});
