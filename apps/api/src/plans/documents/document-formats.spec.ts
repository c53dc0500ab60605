import { parsePlanText, type DraftPlan } from '@app/plan-import';
import {
  APPENDIX_HEADER,
  inventedPlan,
  planDocx,
  planText,
  planXlsx,
  type InventedPlan,
  type TaskRow,
} from '../../../../../test/support/document-fixtures';
import { docxToPlanText } from './docx-text';
import { xlsxToPlanText } from './xlsx-text';

// One table model for the three formats: the same appendix as plain text, as a Word table and as
// a spreadsheet reads into the same tasks, also when a row is cut by a page break that repeats
// the header (two names of an agency cell on either side of the break included).

const tasksOf = (plan: DraftPlan) => ({
  sections: plan.sections,
  tasks: plan.tasks.map((t) => ({
    ordinal: t.ordinal,
    section: t.section,
    title: t.title,
    lead: t.leadAgencies.map((a) => a.name),
    coordinating: t.coordinatingAgencies.map((a) => a.name),
    timeframe: t.timeframe,
    note: t.note,
  })),
});

const plan = inventedPlan();
const [section, first, ...rest] = plan.rows as [InventedPlan['rows'][number], TaskRow, ...InventedPlan['rows']];
const repeatedHeader: TaskRow = {
  ordinal: '',
  title: APPENDIX_HEADER[1],
  lead: [APPENDIX_HEADER[2]],
  coordinating: [APPENDIX_HEADER[3]],
  timeframe: APPENDIX_HEADER[4],
  note: APPENDIX_HEADER[5],
};
// Task 1 cut after the first coordinating agency and inside its title and timeframe.
const cut: InventedPlan = {
  ...plan,
  rows: [
    section,
    { ...first, title: 'Rà soát thủ tục', coordinating: [first.coordinating[0]], timeframe: 'Quý II' },
    repeatedHeader,
    { ordinal: '', title: 'thử nghiệm thứ nhất', lead: [], coordinating: first.coordinating.slice(1), timeframe: `năm ${plan.year}` },
    ...rest,
  ],
};

describe('appendix tables in the three formats', () => {
  const expected = tasksOf(parsePlanText(planText(plan)));

  it('does read the invented plan into sections and three tasks as plain text (the reference)', () => {
    expect(expected.tasks.map((t) => [t.section, t.ordinal, t.coordinating])).toEqual([
      ['I', '1', ['Sở Nội vụ', 'Sở Tài chính']],
      ['I', '2', ['Văn phòng UBND tỉnh']],
      ['I', '3', ['Cục Thuế tỉnh']],
    ]);
  });

  it('does read the same tasks from a DOCX and an XLSX of the same plan', async () => {
    expect(tasksOf(parsePlanText(await docxToPlanText(await planDocx(plan))))).toEqual(expected);
    expect(tasksOf(parsePlanText(await xlsxToPlanText(await planXlsx(plan))))).toEqual(expected);
  });

  it('does join a row cut by a page break with a repeated header into one task in all three formats', async () => {
    expect(tasksOf(parsePlanText(planText(cut)))).toEqual(expected);
    expect(tasksOf(parsePlanText(await docxToPlanText(await planDocx(cut))))).toEqual(expected);
    expect(tasksOf(parsePlanText(await xlsxToPlanText(await planXlsx(cut))))).toEqual(expected);
  });
});
