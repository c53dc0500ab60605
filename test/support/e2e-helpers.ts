import { Client } from 'pg';
import { gql, type ApiServer, type GqlResponse } from './api-server';

// Small shared pieces of the e2e tier: the task selection, transitions, error checks, raw SQL.

export const TASK_FIELDS = `
  id state version late
  availableEvents
  history { seq type fromState toState actor actorAgency { code } at comment hash prevHash }
`;

export interface HistoryRow {
  seq: number;
  type: string;
  fromState: string | null;
  toState: string;
  actor: string | null;
  actorAgency: { code: string } | null;
  at: string;
  comment: string | null;
  hash: string;
  prevHash: string;
}

export interface TaskView {
  id: string;
  state: string;
  version: number;
  late: boolean;
  availableEvents: string[];
  history: HistoryRow[];
}

export const TRANSITION = `mutation Transition($input: TransitionInput!) { transitionTask(input: $input) { ${TASK_FIELDS} } }`;

export interface TransitionVars {
  taskId: string;
  event: string;
  expectedVersion?: number | null;
  comment?: string | null;
  report?: { summary: string; value?: string | null } | null;
  newDueAt?: string | null;
  idempotencyKey?: string | null;
}

export function transition(
  server: ApiServer,
  token: string | null,
  input: TransitionVars,
): Promise<GqlResponse<{ transitionTask: TaskView }>> {
  return gql<{ transitionTask: TaskView }>(server, token, TRANSITION, { input });
}

// Fires an event that must succeed and returns the task as the mutation answered it.
export async function fire(server: ApiServer, token: string, input: TransitionVars): Promise<TaskView> {
  const result = await transition(server, token, input);
  if (result.errors?.length || !result.data?.transitionTask) {
    throw new Error(`${input.event} on ${input.taskId} failed: ${JSON.stringify(result.errors)}`);
  }
  return result.data.transitionTask;
}

export async function getTask(server: ApiServer, token: string, id: string): Promise<TaskView | null> {
  const result = await gql<{ task: TaskView | null }>(server, token, `query T($id: ID!) { task(id: $id) { ${TASK_FIELDS} } }`, { id });
  if (result.errors?.length) throw new Error(`task(${id}) failed: ${JSON.stringify(result.errors)}`);
  return result.data!.task;
}

export function errorCodes(result: GqlResponse): (string | undefined)[] {
  return (result.errors ?? []).map((error) => error.extensions?.code);
}

// Exactly one error, with this code (and, when given, a message containing `text`).
export function expectError(result: GqlResponse, code: string, text?: string | RegExp): void {
  expect(result.status).not.toBe(500);
  expect(errorCodes(result)).toEqual([code]);
  if (text !== undefined) {
    if (typeof text === 'string') expect(result.errors![0].message).toContain(text);
    else expect(result.errors![0].message).toMatch(text);
  }
}

export async function withPg<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: process.env.TEST_DATABASE_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export async function eventRows(taskId: string): Promise<{ seq: number; type: string; payload: Record<string, unknown> }[]> {
  return withPg(
    async (client) => (await client.query('SELECT seq, type, payload FROM task_events WHERE task_id = $1 ORDER BY seq', [taskId])).rows,
  );
}

export async function storedTask(taskId: string): Promise<{ state: string; version: number; events: number }> {
  return withPg(async (client) => {
    const task = await client.query('SELECT state, version FROM tasks WHERE id = $1', [taskId]);
    const events = await client.query('SELECT count(*)::int AS n FROM task_events WHERE task_id = $1', [taskId]);
    return { state: task.rows[0].state, version: task.rows[0].version, events: events.rows[0].n };
  });
}

export const HEX64 = /^[0-9a-f]{64}$/;

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
