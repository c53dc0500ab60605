import type { Logger as TypeOrmLogger } from 'typeorm';

// Counts SQL statements (diagnostics and tests: "a page of 50 tasks costs a constant number of
// queries"). Only installed when EXPOSE_SQL_QUERY_COUNT=true.
export class QueryCounter implements TypeOrmLogger {
  private count = 0;

  get total(): number {
    return this.count;
  }

  logQuery(): void {
    this.count += 1;
  }

  logQueryError(): void {}
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}
}
