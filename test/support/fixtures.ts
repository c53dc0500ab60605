import { randomUUID } from 'node:crypto';
import { createDataSource } from '../../apps/api/src/database/data-source';
import type { NewPlan, NewTask } from '../../apps/api/src/plans/new-plan';
import { endOfLocalDayUtc } from '../../libs/plan-import/src';
import { createServices } from '../../apps/api/src/services';
import { systemClock } from '../../apps/api/src/common/clock';

// A fresh province per test file, so files never see each other's data.
export function uniqueProvince(prefix: string): { code: string; name: string } {
  const suffix = randomUUID().slice(0, 8);
  return { code: `${prefix}-${suffix}`, name: `Tỉnh thử ${prefix} ${suffix}` };
}

export const AGENCIES = {
  monitoring: { code: 'so-ke-hoach-va-dau-tu', name: 'Sở Kế hoạch và Đầu tư' },
  justice: { code: 'so-tu-phap', name: 'Sở Tư pháp' },
  ict: { code: 'so-thong-tin-va-truyen-thong', name: 'Sở Thông tin và Truyền thông' },
  tax: { code: 'cuc-thue-tinh', name: 'Cục Thuế tỉnh' },
};

export function testPlan(province: { code: string; name: string }, tasks: Partial<NewTask>[], year = 2030): NewPlan {
  return {
    province,
    agencies: Object.values(AGENCIES),
    number: `${Math.floor(Math.random() * 900) + 100}/KH-UBND`,
    title: `Kế hoạch thử nghiệm năm ${year}`,
    issuedOn: `${year}-01-15`,
    year,
    resolution: '02/NQ-CP',
    monitoringAgencyCode: AGENCIES.monitoring.code,
    reportingDeadlines: [
      { period: 'H1', dueMonthDay: '06-05' },
      { period: 'YEAR', dueMonthDay: '12-05' },
    ],
    consolidationDeadlines: [],
    sections: [{ ordinal: 'I', title: 'Nhóm nhiệm vụ thử nghiệm' }],
    tasks: tasks.map((task, i) => ({
      sectionOrdinal: 'I',
      ordinal: String(i + 1),
      title: `Nhiệm vụ thử nghiệm số ${i + 1}`,
      leadAgencyCode: AGENCIES.justice.code,
      coordinatingAgencyCodes: [AGENCIES.ict.code],
      timeframe: `Năm ${year}`,
      dueAt: endOfLocalDayUtc(`${year}-12-31`),
      target: null,
      note: null,
      ...task,
    })),
  };
}

// Writes a plan straight into the test database (the import issue adds the GraphQL way).
export async function seedPlan(plan: NewPlan): Promise<{ planId: string }> {
  const dataSource = createDataSource(process.env.TEST_DATABASE_URL!);
  await dataSource.initialize();
  try {
    const written = await createServices({ dataSource: dataSource, clock: systemClock }).planWriter.write(plan);
    return { planId: written.id };
  } finally {
    await dataSource.destroy();
  }
}
