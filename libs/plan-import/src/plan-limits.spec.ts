import { PlanImportError } from './plan-import.error';
import { MAX_AGENCY_CELL_CHARS, MAX_LINES, MAX_TASKS, MAX_WARNINGS } from './plan-limits';
import { parsePlanText } from './plan-text.parser';

// The bounds on one plan, each refused with a message that names it (hostile shapes and their
// timing are in adversarial-input.spec.ts).
const HEADER = 'Số: 27 /KH-UBND\n\nKẾ HOẠCH\n\nThực hiện Nghị quyết số 02/NQ-CP trên địa bàn tỉnh Thái Bình\n\nPHỤ LỤC';
const TABLE_HEADER = ['STT', 'Nhiệm vụ', 'Cơ quan chủ trì', 'Cơ quan phối hợp', 'Thời gian thực hiện', 'Ghi chú'].join('\t');
const rows = (count: number, row: (i: number) => string[]) => Array.from({ length: count }, (_, i) => row(i).join('\t'));
const plan = (...lines: string[]) => [HEADER, TABLE_HEADER, ...lines].join('\n');

function refusal(text: string): string {
  try {
    parsePlanText(text);
  } catch (error) {
    if (error instanceof PlanImportError) return error.message;
    throw error;
  }
  throw new Error('the plan was read');
}

describe('the bounds on one plan', () => {
  it(`does read ${MAX_TASKS} task rows and refuse one more, naming the bound`, () => {
    const row = (i: number) => [String(i + 1), 'Rà soát', 'Sở Tư pháp', '', 'Năm 2023', ''];
    expect(parsePlanText(plan(...rows(MAX_TASKS, row))).tasks).toHaveLength(MAX_TASKS);
    expect(refusal(plan(...rows(MAX_TASKS + 1, row)))).toMatch(`more than ${MAX_TASKS} tasks`);
  });

  it(`does refuse prose with more than ${MAX_TASKS} assignments`, () => {
    const bullets = Array.from({ length: MAX_TASKS + 1 }, () => '- Rà soát thủ tục.');
    expect(refusal(['Số: 27 /KH-UBND', 'KẾ HOẠCH', 'a) Sở Tư pháp chủ trì:', ...bullets].join('\n'))).toMatch(
      `more than ${MAX_TASKS} tasks`,
    );
  });

  it(`does refuse a text of more than ${MAX_LINES} lines, saying how many it has`, () => {
    const text = plan('1\tRà soát\tSở Tư pháp\t\tNăm 2023\t', '\n'.repeat(MAX_LINES));
    expect(refusal(text)).toMatch(new RegExp(`^The text has \\d+ lines; a plan's text may have at most ${MAX_LINES}`, 'u'));
  });

  it(`does refuse an agency cell over ${MAX_AGENCY_CELL_CHARS} characters, naming the row and the role`, () => {
    const cell = 'Sở Tư pháp, '.repeat(Math.ceil(MAX_AGENCY_CELL_CHARS / 12) + 1);
    expect(refusal(plan(['1', 'Rà soát', 'Sở Tư pháp', cell, 'Năm 2023', ''].join('\t')))).toMatch(
      new RegExp(
        `^row 1 \\(line \\d+\\): the coordinating agency cell has ${cell.trim().length} characters; .* at most ${MAX_AGENCY_CELL_CHARS}`,
        'u',
      ),
    );
  });

  it(`does keep ${MAX_WARNINGS} warnings and count the rest in a last one`, () => {
    const row = (i: number) => [String(i + 1), 'Rà soát', `Cơ quan lạ ${i}`, '', 'Năm 2023', ''];
    const { warnings } = parsePlanText(plan(...rows(MAX_WARNINGS + 20, row)));
    expect(warnings).toHaveLength(MAX_WARNINGS + 1);
    expect(warnings[MAX_WARNINGS]).toMatch(/^… and \d+ more warnings$/u);
  });
});
