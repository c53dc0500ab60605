import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { sweepChannel, transitionChannel, type SweepObserved, type TransitionObserved } from './domain-events';

export interface PoolStats {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
}

export const MAX_OPERATION_NAMES = 100;
export const MAX_OPERATION_NAME_LENGTH = 64;
const OPERATION_TYPES = new Set(['query', 'mutation', 'subscription']);
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

// The service's Prometheus metrics, in a registry of its own (never prom-client's global one, so
// two instances in one process count apart). Label values are bounded: operation names by length
// and by a cap of distinct names, methods and routes to what the server knows.
export class AppMetrics {
  readonly registry = new Registry();
  private readonly operationNames = new Set<string>();
  private readonly httpRequests: Counter<'method' | 'route' | 'status'>;
  private readonly operations: Counter<'operation' | 'type' | 'outcome'>;
  private readonly operationSeconds: Histogram<'operation' | 'type'>;
  private readonly transitions: Counter<'event' | 'outcome'>;
  private readonly sweepRuns: Counter;
  private readonly sweepTasksMarked: Counter;
  private readonly onTransition = (message: unknown) => this.countTransition(message as TransitionObserved);
  private readonly onSweep = (message: unknown) => this.countSweep(message as SweepObserved);

  constructor(poolStats: () => PoolStats | null) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry }); // process, heap, GC and nodejs_eventloop_lag_*
    this.httpRequests = new Counter({
      name: 'http_requests_total',
      help: 'HTTP requests answered, by method, route and status',
      labelNames: ['method', 'route', 'status'],
      registers,
    });
    this.operations = new Counter({
      name: 'graphql_operations_total',
      help: 'GraphQL operations over HTTP, by operation name, type and outcome (ok or the first error code)',
      labelNames: ['operation', 'type', 'outcome'],
      registers,
    });
    this.operationSeconds = new Histogram({
      name: 'graphql_operation_duration_seconds',
      help: 'Time to answer a GraphQL operation over HTTP, by operation name and type',
      labelNames: ['operation', 'type'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.transitions = new Counter({
      name: 'task_transitions_total',
      help: 'Task transitions asked of the service (the deadline sweep aside), by event and outcome (ok or the error code)',
      labelNames: ['event', 'outcome'],
      registers,
    });
    this.sweepRuns = new Counter({ name: 'deadline_sweep_runs_total', help: 'Deadline sweeps completed', registers });
    this.sweepTasksMarked = new Counter({
      name: 'deadline_sweep_tasks_marked_total',
      help: 'Tasks the deadline sweep marked OVERDUE',
      registers,
    });
    this.poolGauges(poolStats);
    subscribe(transitionChannel.name, this.onTransition);
    subscribe(sweepChannel.name, this.onSweep);
  }

  countRequest(method: string, route: string | undefined, status: number): void {
    this.httpRequests.inc({ method: METHODS.has(method) ? method : 'other', route: route ?? 'unmatched', status: String(status) });
  }

  countOperation(name: string | null, type: string | null, outcome: string, seconds: number): void {
    const labels = { operation: this.operationLabel(name), type: type && OPERATION_TYPES.has(type) ? type : 'unknown' };
    this.operations.inc({ ...labels, outcome });
    this.operationSeconds.observe(labels, seconds);
  }

  metrics(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  close(): void {
    unsubscribe(transitionChannel.name, this.onTransition);
    unsubscribe(sweepChannel.name, this.onSweep);
    this.registry.clear();
  }

  // anonymous → 'anonymous'; too long, or new once MAX_OPERATION_NAMES are known → 'other'
  operationLabel(name: string | null): string {
    if (!name) return 'anonymous';
    if (name.length > MAX_OPERATION_NAME_LENGTH) return 'other';
    if (this.operationNames.has(name)) return name;
    if (this.operationNames.size >= MAX_OPERATION_NAMES) return 'other';
    this.operationNames.add(name);
    return name;
  }

  private countTransition({ event, outcome }: TransitionObserved): void {
    this.transitions.inc({ event, outcome });
  }

  private countSweep({ tasksMarked }: SweepObserved): void {
    this.sweepRuns.inc();
    this.sweepTasksMarked.inc(tasksMarked);
  }

  // read from the pg pool when scraped
  private poolGauges(poolStats: () => PoolStats | null): void {
    const gauge = (name: string, help: string, read: (stats: PoolStats) => number) =>
      new Gauge({
        name,
        help,
        registers: [this.registry],
        collect() {
          const stats = poolStats();
          if (stats) this.set(read(stats));
        },
      });
    gauge('db_pool_connections', 'Connections the database pool holds (busy and idle)', (s) => s.totalCount);
    gauge('db_pool_idle_connections', 'Idle connections in the database pool', (s) => s.idleCount);
    gauge('db_pool_waiting_clients', 'Queries waiting for a free connection of the database pool', (s) => s.waitingCount);
  }
}
