import type { DataSource, EntityManager } from 'typeorm';

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
}

// A unique index said no: callers that race on purpose (imports, idempotent retries) retry once.
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { driverError?: { code?: string }; code?: string })?.driverError?.code ?? (error as { code?: string })?.code;
  return code === '23505';
}
