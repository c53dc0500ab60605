import { Client } from 'pg';
import type { DataSource } from 'typeorm';

// The channel WRITE_TRANSITIONS_SQL notifies for every task row a transition (or a sweep) writes.
export const TASK_CHANGED_CHANNEL = 'task_changed';

// One committed transition, as notified: small on purpose (subscribers re-read the task in their scope).
// `resync`: found after a reconnect, standing for more changes of its plan than are listed one by one
// (RESYNC_TASKS_PER_PLAN); the plan's subscribers should re-read the plan.
export interface TaskChange {
  provinceCode: string;
  planId: string;
  taskId: string;
  version: number;
  resync?: true;
}

// After a reconnect, at most this many changed tasks of one plan are delivered one by one; beyond
// it, one change of the plan with `resync` stands for all of them.
export const RESYNC_TASKS_PER_PLAN = 50;

export interface TaskChangeFeedOptions {
  minBackoffMs?: number;
  maxBackoffMs?: number;
  applicationName?: string; // how the connection shows in pg_stat_activity
  // how often the listening connection is checked (its database time is the resync watermark),
  // and how long an answer may take before the connection counts as lost
  heartbeatMs?: number;
  heartbeatTimeoutMs?: number;
  // how far before the last check a resync looks: covers a transaction that began before it
  // and committed after the connection dropped (tasks.updated_at is its start time)
  resyncOverlapMs?: number;
  log?: { warn(message: string): void; log?(message: string): void } | null;
}

// The tasks written since $1, per plan: how many, and the newest RESYNC_TASKS_PER_PLAN of them.
// A sequential scan of tasks (no index on updated_at): it runs once per reconnect only.
const RESYNC_SQL = `SELECT province_code, plan_id, count(*)::int AS changed,
  (array_agg(id ORDER BY updated_at DESC, id))[1:$2] AS task_ids,
  (array_agg(version ORDER BY updated_at DESC, id))[1:$2] AS versions,
  (SELECT now()) AS read_at
FROM tasks WHERE updated_at >= $1
GROUP BY province_code, plan_id`;

interface ResyncRow {
  province_code: string;
  plan_id: string;
  changed: number;
  task_ids: string[];
  versions: number[];
}

// Measured ≈ 0.1-0.2 s over 200 000 tasks; far beyond that the connection counts as lost.
const RESYNC_TIMEOUT_MS = 60_000;

// How many task versions the feed remembers having delivered (a resync skips those).
const HEARD_LIMIT = 10_000;

// LISTEN on one dedicated connection per instance (not from the pool: a pooled connection is
// handed to others, and LISTEN lives as long as its session). A dropped connection is opened
// again with exponential backoff; then the tasks written while it was down (since the last
// heartbeat, less an overlap) are read and delivered, those already heard skipped, and a plan
// with more than RESYNC_TASKS_PER_PLAN of them as one change marked `resync`.
export class TaskChangeFeed {
  private client: Client | null = null;
  private closed = false;
  private attempt = 0;
  private retry: NodeJS.Timeout | null = null;
  private heartbeat: NodeJS.Timeout | null = null;
  private listener: ((change: TaskChange) => void) | null = null;
  // database time at which the listening connection was last known to be up (null before the first LISTEN)
  private aliveAt: Date | null = null;
  // the latest version delivered per task, oldest first (bounded by HEARD_LIMIT)
  private readonly heard = new Map<string, number>();

  constructor(
    private readonly connectionString: string,
    private readonly options: TaskChangeFeedOptions = {},
  ) {}

  static of(dataSource: DataSource, options: TaskChangeFeedOptions = {}): TaskChangeFeed {
    const url = (dataSource.options as { url?: string }).url;
    if (!url) throw new Error('the task change feed needs the data source to be configured by url');
    return new TaskChangeFeed(url, options);
  }

  get listening(): boolean {
    return this.client !== null;
  }

  // Resolves once the first LISTEN ran, or once the first attempt failed (it is retried in the background).
  async start(listener: (change: TaskChange) => void): Promise<void> {
    this.listener = listener;
    this.closed = false;
    await this.connect();
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retry) clearTimeout(this.retry);
    this.retry = null;
    this.stopHeartbeat();
    const client = this.client;
    this.client = null;
    if (client) await client.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    if (this.closed) return;
    const client = new Client({
      connectionString: this.connectionString,
      // a frozen server or a silently dropped link is noticed, not waited on forever
      connectionTimeoutMillis: 10_000,
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
      application_name: this.options.applicationName ?? 'task-change-feed',
    });
    let lost = false;
    const onLost = (error?: Error) => {
      if (lost) return;
      lost = true;
      if (this.client === client) {
        this.client = null;
        this.stopHeartbeat();
      }
      void client.end().catch(() => undefined);
      if (!this.closed) {
        this.options.log?.warn(`task change feed lost its connection${error ? `: ${error.message}` : ''}; reconnecting`);
        this.scheduleReconnect();
      }
    };
    client.on('error', onLost);
    client.on('end', () => onLost());
    client.on('notification', (message) => {
      if (message.channel !== TASK_CHANGED_CHANNEL || !message.payload) return;
      const change = parseChange(message.payload);
      if (change) this.deliver(change);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${TASK_CHANGED_CHANNEL}`);
      // listening from here on: what committed while the previous connection was down is read now
      const since = this.aliveAt;
      this.aliveAt = since === null ? await this.databaseNow(client) : await this.resync(client, since);
    } catch (error) {
      onLost(error as Error);
      return;
    }
    if (this.closed || lost) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.attempt = 0;
    this.startHeartbeat(client);
  }

  private deliver(change: TaskChange): void {
    if (!change.resync) {
      const heard = this.heard.get(change.taskId);
      if (heard !== undefined && heard >= change.version) return;
      this.heard.delete(change.taskId);
      this.heard.set(change.taskId, change.version);
      if (this.heard.size > HEARD_LIMIT) this.heard.delete(this.heard.keys().next().value!);
    }
    this.listener?.(change);
  }

  // Delivers the tasks written since the last heartbeat (less the overlap); returns the time read.
  private async resync(client: Client, aliveAt: Date): Promise<Date> {
    const since = new Date(aliveAt.getTime() - (this.options.resyncOverlapMs ?? 30_000));
    // not stuck on a connection that went silent meanwhile (a failure reconnects and reads again)
    const query = { text: RESYNC_SQL, values: [since, RESYNC_TASKS_PER_PLAN], query_timeout: RESYNC_TIMEOUT_MS };
    const { rows } = await client.query<ResyncRow & { read_at: Date }>(query);
    let listed = 0;
    for (const row of rows) {
      const plan = { provinceCode: row.province_code, planId: row.plan_id };
      if (row.changed > RESYNC_TASKS_PER_PLAN) {
        // the newest task of the plan carries the signal
        this.deliver({ ...plan, taskId: row.task_ids[0], version: row.versions[0], resync: true });
        continue;
      }
      // oldest first, as they were notified
      for (let i = row.task_ids.length - 1; i >= 0; i -= 1) {
        listed += 1;
        this.deliver({ ...plan, taskId: row.task_ids[i], version: row.versions[i] });
      }
    }
    this.options.log?.log?.(`task change feed listening again; ${rows.length} plan(s) changed meanwhile, ${listed} task(s) re-read`);
    return rows[0]?.read_at ?? (await this.databaseNow(client));
  }

  // query_timeout: a connection that went silent (no reset, no answer) fails instead of hanging
  private async databaseNow(client: Client): Promise<Date> {
    const query = { text: 'SELECT now() AS now', query_timeout: this.options.heartbeatTimeoutMs ?? 10_000 };
    return (await client.query<{ now: Date }>(query)).rows[0].now;
  }

  // A cheap query on the listening connection: it records the database time the connection was
  // last known up, and a connection that died silently fails it (and is opened again).
  private startHeartbeat(client: Client): void {
    this.stopHeartbeat();
    this.heartbeat = setInterval(() => {
      this.databaseNow(client).then(
        (now) => {
          if (this.client === client) this.aliveAt = now;
        },
        (error: Error) => client.emit('error', error),
      );
    }, this.options.heartbeatMs ?? 5_000);
    this.heartbeat.unref();
  }

  private stopHeartbeat(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
  }

  private scheduleReconnect(): void {
    if (this.retry || this.closed) return;
    const min = this.options.minBackoffMs ?? 250;
    const max = this.options.maxBackoffMs ?? 30_000;
    const delay = Math.min(max, min * 2 ** this.attempt) * (0.5 + Math.random() / 2);
    this.attempt += 1;
    this.retry = setTimeout(() => {
      this.retry = null;
      void this.connect();
    }, delay);
    this.retry.unref();
  }
}

function parseChange(payload: string): TaskChange | null {
  try {
    const raw = JSON.parse(payload) as { p?: unknown; plan?: unknown; task?: unknown; v?: unknown };
    if (typeof raw.p !== 'string' || typeof raw.plan !== 'string' || typeof raw.task !== 'string' || typeof raw.v !== 'number') {
      return null;
    }
    return { provinceCode: raw.p, planId: raw.plan, taskId: raw.task, version: raw.v };
  } catch {
    return null;
  }
}
