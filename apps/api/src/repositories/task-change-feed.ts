import { Client } from 'pg';
import type { DataSource } from 'typeorm';

// The channel WRITE_TRANSITIONS_SQL notifies for every task row a transition (or a sweep) writes.
export const TASK_CHANGED_CHANNEL = 'task_changed';

// One committed transition, as notified: small on purpose (subscribers re-read the task in their scope).
export interface TaskChange {
  provinceCode: string;
  planId: string;
  taskId: string;
  version: number;
}

export interface TaskChangeFeedOptions {
  minBackoffMs?: number;
  maxBackoffMs?: number;
  applicationName?: string; // how the connection shows in pg_stat_activity
  log?: { warn(message: string): void; log?(message: string): void } | null;
}

// LISTEN on one dedicated connection per instance (not from the pool: a pooled connection is
// handed to others, and LISTEN lives as long as its session). A dropped connection is opened
// again with exponential backoff; notifications sent while it was down are not replayed.
export class TaskChangeFeed {
  private client: Client | null = null;
  private closed = false;
  private attempt = 0;
  private retry: NodeJS.Timeout | null = null;
  private listener: ((change: TaskChange) => void) | null = null;

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
      if (this.client === client) this.client = null;
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
      if (change) this.listener?.(change);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${TASK_CHANGED_CHANNEL}`);
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
