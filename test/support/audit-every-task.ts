import { resolve } from 'node:path';
import type { createServices as CreateServices } from '../../apps/api/src/services';
import type { Actor } from '../../apps/api/src/auth/actor';
import type { createDataSource as CreateDataSource } from '../../apps/api/src/database/data-source';

// globalTeardown runs outside jest's module mapping, so it uses the build `npm test` made first.
const DIST = resolve(__dirname, '../../dist/apps/api/apps/api/src');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { createServices } = require(`${DIST}/services.js`) as { createServices: typeof CreateServices };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { createDataSource } = require(`${DIST}/database/data-source.js`) as { createDataSource: typeof CreateDataSource };

// Provinces whose audit trails tests tamper with on purpose.
const TAMPERED = /^(audit|int-audit)-/;
const AUDITOR: Actor = { kind: 'user', userId: 'test:teardown', provinceCode: '*', agencyCode: null, agencyId: null, roles: ['AUDITOR'] };

// After the whole run: every task any test touched must replay to exactly its stored row.
export async function auditEveryTask(url: string): Promise<{ plans: number; tasks: number; broken: string[] }> {
  const dataSource = createDataSource(url);
  await dataSource.initialize();
  try {
    const plans: { id: string; province_code: string }[] = await dataSource.query('SELECT id, province_code FROM plans');
    const audit = createServices({ dataSource, clock: { now: () => new Date() } }).audit;
    const broken: string[] = [];
    let tasks = 0;
    for (const plan of plans.filter((p) => !TAMPERED.test(p.province_code))) {
      const verdict = await audit.verifyPlan(AUDITOR, plan.id);
      tasks += verdict.tasksChecked;
      broken.push(...verdict.brokenTaskIds.map((id) => `${plan.province_code}/${id}`));
    }
    return { plans: plans.length, tasks, broken };
  } finally {
    await dataSource.destroy();
  }
}
