import { replayRecordedTask, type TaskState } from '@app/lifecycle';
import type { Actor } from '../auth/actor';
import { notFound } from '../common/domain-error';
import { Scope } from '../common/scope';
import { requireUuid } from '../common/validation';
import type { PlanEntity, PlanRepository } from '../repositories/plan.repository';
import type { TaskEventEntity, TaskEventRepository } from '../repositories/task-event.repository';
import type { TaskEntity, TaskRepository } from '../repositories/task.repository';
import type { Transactions } from '../repositories/transaction';
import type { AccessDenialPage, AccessDenialQuery, AccessDenialsService } from './access-denials.service';
import { verifyChain } from './hash-chain';
import { auditTask, recordedEvent, rowDifferences, type TaskFinding } from './task-audit';
import { eventsUpTo, taskTimeline, type TimelineEntry } from './timeline';
import { DEFAULT_TRAIL_LIMITS, TrailReader, type TrailLimits } from './trail-reader';

export interface ReplayResult {
  state: TaskState;
  eventsApplied: number;
  consistent: boolean;
  chainValid: boolean;
}

// A closed period whose seal does not hold (reports' PeriodCloseService verifies them).
export interface PeriodFinding {
  period: string;
  seq: number;
  problem: string;
  detail: string;
}

// The seals of a plan's closed periods, checked by the module that makes them (reports depends on
// audit, not the other way round).
export interface PeriodCloseVerifier {
  verify(scope: Scope, plan: PlanEntity): Promise<{ periodsChecked: number; findings: PeriodFinding[] }>;
}

export interface AuditVerification {
  ok: boolean;
  tasksChecked: number;
  eventsChecked: number;
  // every broken task is counted; the first `listed` (in task id order) are named
  brokenTaskCount: number;
  brokenTaskIds: string[];
  brokenTasks: TaskFinding[];
  // the plan's period closes: their hash chain, and their figures recomputed as of each cut-off
  periodsChecked: number;
  brokenPeriods: PeriodFinding[];
}

export interface AuditDeps {
  plans: PlanRepository;
  tasks: TaskRepository;
  events: TaskEventRepository;
  transactions: Transactions;
  denials: AccessDenialsService;
  periods: PeriodCloseVerifier;
}

export interface AuditLimits extends TrailLimits {
  // broken tasks named in a verification (all are counted)
  listed: number;
}

export const DEFAULT_AUDIT_LIMITS: AuditLimits = { ...DEFAULT_TRAIL_LIMITS, listed: 1000 };

// Replay = the lifecycle's replay folded over task_events; the stored row must equal the fold.
// Each answer reads the task rows and their events in one REPEATABLE READ snapshot, so a transition
// committed meanwhile is either wholly seen or not at all, never half (row without its event).
export class AuditService {
  private readonly reader: TrailReader;

  constructor(
    private readonly deps: AuditDeps,
    private readonly limits: AuditLimits = DEFAULT_AUDIT_LIMITS,
  ) {
    this.reader = new TrailReader(deps.tasks, deps.events, limits);
  }

  // Refused attempts of the provinces the token covers (AUDITOR and ADMIN).
  accessDenials(actor: Actor, query: AccessDenialQuery): Promise<AccessDenialPage> {
    return this.deps.denials.list(actor, query);
  }

  // The state at asOf (all events when null) by re-running the events through the machine.
  // chainValid covers the whole chain; consistent: the events up to asOf replay with the states
  // their rows record and, without asOf, the stored row equals the replay.
  async replay(actor: Actor, taskId: string, asOf: Date | null): Promise<ReplayResult> {
    const { task, events } = await this.historyOf(actor, taskId);
    const chainValid = verifyChain(task.id, task.input, events).valid;
    const upTo = asOf ? eventsUpTo(events, asOf) : events;
    const folded = replayRecordedTask(task.input, upTo.map(recordedEvent));
    const agrees = folded.rejectedAt === null;
    const stored = asOf !== null || rowDifferences(task, folded, events.at(-1)?.hash ?? null).length === 0;
    return { state: folded.snapshot.state, eventsApplied: folded.applied, consistent: agrees && stored, chainValid };
  }

  async timeline(actor: Actor, taskId: string): Promise<TimelineEntry[]> {
    const { task, events } = await this.historyOf(actor, taskId);
    return taskTimeline(task, events);
  }

  // Every task's chain, replay and stored row, streamed in batches inside one read-only snapshot.
  async verifyPlan(actor: Actor, planId: string): Promise<AuditVerification> {
    const scope = Scope.ofActor(actor);
    const plan = await this.deps.plans.findById(scope, requireUuid(planId, 'planId'));
    if (!plan) throw notFound(`No plan with id ${planId}`);
    // on a replica when there is one (the audit's batches may lag the primary); the verdict starts
    // afresh inside the snapshot, which runs again on the primary if the replica fails midway
    const verdict = await this.deps.transactions.readSnapshot(async (tx) => {
      const found = { tasksChecked: 0, eventsChecked: 0, brokenTaskCount: 0, brokenTasks: [] as TaskFinding[] };
      await this.reader.forEachTaskOfPlan(tx, scope, plan, (task, events) => {
        found.tasksChecked += 1;
        found.eventsChecked += events.length;
        const finding = auditTask(task, events);
        if (finding === null) return;
        found.brokenTaskCount += 1;
        if (found.brokenTasks.length < this.limits.listed) found.brokenTasks.push(finding);
      });
      return found;
    }, 'replica');
    const brokenTaskIds = verdict.brokenTasks.map((finding) => finding.taskId);
    const periods = await this.deps.periods.verify(scope, plan);
    return {
      ok: verdict.brokenTaskCount === 0 && periods.findings.length === 0,
      ...verdict,
      brokenTaskIds,
      periodsChecked: periods.periodsChecked,
      brokenPeriods: periods.findings,
    };
  }

  private async historyOf(actor: Actor, taskId: string): Promise<{ task: TaskEntity; events: TaskEventEntity[] }> {
    const id = requireUuid(taskId, 'taskId');
    // replays and timelines read a replica when there is one
    const found = await this.deps.transactions.readSnapshot((tx) => this.reader.history(tx, Scope.ofActor(actor), id), 'replica');
    if (!found) throw notFound(`No task with id ${taskId}`);
    return found;
  }
}
