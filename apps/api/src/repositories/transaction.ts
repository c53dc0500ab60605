import { createHash } from 'node:crypto';
import { QueryFailedError, type DataSource, type EntityManager } from 'typeorm';
import { ReadRouter, type ReadPreference } from './read-routing';

declare const TX: unique symbol;

// A running database transaction as services see it: something to hand back to repositories,
// nothing to query with.
export interface Tx {
  readonly [TX]: true;
}

export function managerOf(tx: Tx): EntityManager {
  return tx as unknown as EntityManager;
}

// READ COMMITTED, PostgreSQL's default: not naming it spares a SET TRANSACTION statement.
export class Transactions {
  constructor(private readonly dataSource: DataSource) {}

  run<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.dataSource.transaction((manager) => work(manager as unknown as Tx));
  }

  // No transaction: each statement commits on its own (for work whose every write is one statement).
  autocommit(): Tx {
    return this.dataSource.manager as unknown as Tx;
  }

  // One snapshot for several reads: every statement of `work` sees the database as it was at the
  // first one, and nothing can be written. The audit reads a task row and its events in separate
  // statements; without this, a transition committed between them would look like tampering.
  // One START statement instead of TypeORM's START + SET TRANSACTION. read: 'replica' for the
  // audit's and the replays' reads (read-routing.ts), which may lag the primary.
  readSnapshot<T>(work: (tx: Tx) => Promise<T>, read: ReadPreference = 'primary'): Promise<T> {
    return ReadRouter.of(this.dataSource).snapshot(read, (manager) => work(manager as unknown as Tx));
  }
}

// A unique index said no: callers that race on purpose (imports, idempotent retries) retry once.
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { driverError?: { code?: string }; code?: string })?.driverError?.code ?? (error as { code?: string })?.code;
  return code === '23505';
}

interface PgClient {
  query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: Record<string, unknown>[] }>;
}

// A statement sent as a named (prepared) statement on the transaction's connection: PostgreSQL
// parses and plans it once per connection instead of on every call. For hot statements whose
// planning costs more than their execution (the transition's lock with its sub-selects). Logged
// like any TypeORM query, so statement counts and logs still see it.
export async function preparedQuery(tx: Tx, text: string, values: unknown[]): Promise<Record<string, unknown>[]> {
  const manager = managerOf(tx);
  const runner = manager.queryRunner;
  // in a transaction its connection; otherwise the pool's (a named statement is kept per connection)
  const client = runner
    ? (runner as unknown as { databaseConnection?: PgClient }).databaseConnection
    : (manager.connection.driver as unknown as { master?: PgClient }).master;
  if (!client) return manager.query(text, values);
  manager.connection.logger.logQuery(text, values, runner);
  try {
    return (await client.query({ name: statementName(text), text, values })).rows;
  } catch (error) {
    manager.connection.logger.logQueryError(error as Error, text, values, runner);
    throw new QueryFailedError(text, values, error as Error);
  }
}

const NAMES = new Map<string, string>();

function statementName(text: string): string {
  let name = NAMES.get(text);
  if (!name) {
    name = `s_${createHash('sha256').update(text).digest('hex').slice(0, 16)}`;
    NAMES.set(text, name);
  }
  return name;
}
