// audit.verify in a process of its own, so its peak RSS (VmHWM) is its own:
// `node dist/bench/bench/audit-child.js service|limit DATABASE_URL PROVINCE PLAN_ID` prints one JSON line.
//   service: AuditService.verifyPlan (what verifyAuditTrail runs) for a provincial AUDITOR;
//   limit:   a bare pg cursor streaming the plan's events in (task, seq) order, re-hashing each
//            row's canonical JSON and comparing with the stored hash and the previous row's hash.
import './lib/aliases';
import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { canonicalJson } from '../apps/api/src/audit/canonical-json';
import type { Actor } from '../apps/api/src/auth/actor';
import { systemClock } from '../apps/api/src/common/clock';
import { createServices } from '../apps/api/src/services';
import { openDataSource } from './lib/database';
import { rssMb } from './lib/stats';

async function service(url: string, province: string, planId: string) {
  const dataSource = await openDataSource(url, 4);
  const services = createServices({ dataSource, clock: systemClock });
  const auditor: Actor = {
    kind: 'user',
    userId: 'bench-auditor',
    provinceCode: province,
    agencyCode: null,
    agencyId: null,
    roles: ['AUDITOR'],
  };
  const t0 = performance.now();
  const result = await services.audit.verifyPlan(auditor, planId);
  const ms = performance.now() - t0;
  await dataSource.destroy();
  return { ms, ok: result.ok, tasks: result.tasksChecked, events: result.eventsChecked, broken: result.brokenTaskIds.length };
}

async function limit(url: string, province: string, planId: string) {
  const client = new Client({ connectionString: url });
  await client.connect();
  const t0 = performance.now();
  await client.query('BEGIN');
  await client.query(
    `DECLARE c NO SCROLL CURSOR FOR
     SELECT e.task_id, e.seq, e.type, e.from_state, e.to_state, e.actor, e.actor_agency_id, e.at, e.payload, e.machine_version,
       e.prev_hash, e.hash
     FROM task_events e JOIN tasks t ON t.province_code = e.province_code AND t.id = e.task_id
     WHERE e.province_code = $1 AND t.plan_id = $2 ORDER BY e.task_id, e.seq`,
    [province, planId],
  );
  let events = 0;
  let broken = 0;
  let prevTask = '';
  let prevHash = '';
  for (;;) {
    const { rows } = await client.query('FETCH 5000 FROM c');
    if (rows.length === 0) break;
    for (const r of rows) {
      const content = canonicalJson({
        taskId: r.task_id,
        seq: r.seq,
        type: r.type,
        fromState: r.from_state,
        toState: r.to_state,
        actor: r.actor,
        actorAgencyId: r.actor_agency_id,
        at: (r.at as Date).toISOString(),
        payload: r.payload,
        machineVersion: r.machine_version,
      });
      const hash = createHash('sha256').update(`${r.prev_hash}\n${content}`, 'utf8').digest('hex');
      if (hash !== r.hash || (r.task_id === prevTask && r.prev_hash !== prevHash)) broken++;
      prevTask = r.task_id;
      prevHash = r.hash;
      events++;
    }
  }
  await client.query('COMMIT');
  const ms = performance.now() - t0;
  await client.end();
  return { ms, ok: broken === 0, tasks: null, events, broken };
}

async function main(): Promise<void> {
  const [mode, url, province, planId] = process.argv.slice(2);
  const result = mode === 'service' ? await service(url, province, planId) : await limit(url, province, planId);
  process.stdout.write(`${JSON.stringify({ ...result, peakRssMb: rssMb('self', 'VmHWM') })}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
