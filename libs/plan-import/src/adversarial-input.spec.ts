import { PlanImportError } from './plan-import.error';
import { MAX_PLAN_BYTES } from './plan-input.guard';
import { MAX_LINES } from './plan-limits';
import { parsePlanText } from './plan-text.parser';
import { utf8Length } from './text-cleanup.util';

// Hostile plan texts of about 1 MB (half the 2 MB a plan text may have), each built to make a
// backtracking regex or a rescanning loop go quadratic. Each must be read, or refused with a
// PlanImportError, within 2 s: the importer runs on the event loop, so anything slower stalls the
// whole server. This is the one timed assertion of the suite, and the bound is a requirement.
const BUDGET_MS = 2000;
const SIZE = 1024 * 1024;

const HEADER = `Số: 27 /KH-UBND

Thái Bình, ngày 14 tháng 02 năm 2023

KẾ HOẠCH

Thực hiện Nghị quyết số 02/NQ-CP ngày 06/01/2023 của Chính phủ về cải thiện môi trường kinh doanh năm 2023 trên địa bàn tỉnh Thái Bình

II. NHIỆM VỤ VÀ GIẢI PHÁP
`;
const IMPLEMENTATION = `III. TỔ CHỨC THỰC HIỆN

1. Sở Kế hoạch và Đầu tư làm đầu mối theo dõi, tổng hợp việc thực hiện Kế hoạch.

2. Các sở, ban, ngành gửi báo cáo về Sở Kế hoạch và Đầu tư trước ngày 05 tháng 6 và 05 tháng 12.
`;
const row = (...cells: string[]) => cells.join('\t');
const TABLE_HEADER = row('STT', 'Nhiệm vụ', 'Cơ quan chủ trì', 'Cơ quan phối hợp', 'Thời gian thực hiện', 'Ghi chú');
const BOTH_HEADER = row('STT', 'Nhiệm vụ', 'Cơ quan thực hiện', 'Thời gian thực hiện');

/** `unit` repeated to 1 MB (UTF-8), followed by `tail`. */
const fill = (unit: string, tail = ''): string => unit.repeat(Math.ceil(SIZE / utf8Length(unit))) + tail;
/** Just under the lines a plan may have, each padded so that together they make 1 MB. */
const manyLines = (line: (index: number) => string): string => {
  const count = MAX_LINES - 100;
  const width = Math.ceil(SIZE / count);
  return Array.from({ length: count }, (_, i) => line(i).padEnd(width, line(i).slice(-1))).join('\n');
};
const withTable = (...rows: string[]) => [HEADER, IMPLEMENTATION, 'PHỤ LỤC', TABLE_HEADER, ...rows].join('\n');
const withProse = (...paragraphs: string[]) => [HEADER, ...paragraphs, IMPLEMENTATION].join('\n');
const taskRow = (overrides: { ordinal?: string; title?: string; lead?: string; coordinating?: string; timeframe?: string }) =>
  row(
    overrides.ordinal ?? '1',
    overrides.title ?? 'Rà soát thủ tục',
    overrides.lead ?? 'Sở Tư pháp',
    overrides.coordinating ?? 'Sở Nội vụ',
    overrides.timeframe ?? 'Năm 2023',
    '',
  );

const DOCUMENTS: [string, () => string][] = [
  ['1 MB of commas in a coordinating cell', () => withTable(taskRow({ coordinating: fill(',') }))],
  ['1 MB of commas in a cell, then a word', () => withTable(taskRow({ coordinating: fill(',', 'x') }))],
  ['commas and spaces, then a word, in a lead cell', () => withTable(taskRow({ lead: fill(', ', 'Sở Tư pháp') }))],
  ['a run of punctuation and spaces, then a word, in a cell', () => withTable(taskRow({ coordinating: fill(' .,;:', 'x') }))],
  ['1 MB of spaces inside a cell', () => withTable(taskRow({ coordinating: `Sở Tư pháp${fill(' ', 'Sở Nội vụ')}` }))],
  ['1 MB of no-break spaces inside a cell', () => withTable(taskRow({ coordinating: `Sở Tư pháp${fill('\u00a0', 'Sở Nội vụ')}` }))],
  ['1 MB of dashes in a cell', () => withTable(taskRow({ coordinating: fill('-', 'x') }))],
  ['dashes and spaces, then a word, in a cell', () => withTable(taskRow({ coordinating: fill('- ', 'x') }))],
  [
    'dashes and spaces in a both-roles cell',
    () => [HEADER, 'PHỤ LỤC', BOTH_HEADER, row('1', 'Rà soát', `chủ trì: ${fill(' -;,', 'x')}`, '2023')].join('\n'),
  ],
  ['"và" repeated in a cell', () => withTable(taskRow({ coordinating: `Sở Tư pháp${fill(' và')} Sở Nội vụ` }))],
  ['known agencies joined by "và" in a cell', () => withTable(taskRow({ coordinating: fill('Sở Tư pháp và ', 'Sở Nội vụ') }))],
  ['known agencies joined by commas in a cell', () => withTable(taskRow({ coordinating: fill('Sở Tư pháp, ', 'Sở Nội vụ') }))],
  ['fragments of a long name joined by commas', () => withTable(taskRow({ coordinating: fill('Sở Văn hóa, Thể thao, ', 'x') }))],
  ['"Sở Sở Sở …" in a cell', () => withTable(taskRow({ coordinating: fill('Sở ') }))],
  ['"Công ty Công ty …" in a cell', () => withTable(taskRow({ coordinating: fill('Công ty ') }))],
  ['"Sở Sở Sở …" opening a prose assignment', () => withProse(`a) ${fill('Sở ')} chủ trì: rà soát thủ tục.`)],
  ['known agencies listed in one prose sentence', () => withProse(`a) ${fill('Sở Tư pháp, ')}Sở Nội vụ chủ trì rà soát thủ tục.`)],
  ['one huge prose line of words', () => withProse(fill('rà soát thủ tục hành chính '))],
  ['one huge line without spaces', () => withProse(fill('x'))],
  ['one line repeating the focal-point clause', () => withProse(fill('Sở Tư pháp làm đầu mối theo dõi; '))],
  ['one line repeating "gửi báo cáo về"', () => withProse(fill('gửi báo cáo về Sở Tư pháp '))],
  ['one line repeating a head of agency with an open parenthesis', () => withProse(`a) ${fill(', Giám đốc (')}: làm`)],
  ['half a million tiny lines', () => withProse('a) Sở Tư pháp chủ trì:', fill('x\n'))],
  [
    'as many lines as allowed, continuing one paragraph',
    () =>
      withProse(
        'a) Sở Tư pháp chủ trì:',
        manyLines(() => 'x'),
      ),
  ],
  [
    'as many lines as allowed, each a capitalised line of 21 characters',
    () =>
      withProse(
        'a) Sở Tư pháp chủ trì:',
        manyLines(() => 'Xx'),
      ),
  ],
  [
    'as many lines as allowed, each a word broken at its hyphen',
    () =>
      withProse(
        'Sở Tư pháp chủ trì rà soát',
        manyLines(() => 'a-'),
      ),
  ],
  [
    'as many list lines as allowed',
    () =>
      withProse(
        'a) Sở Tư pháp chủ trì:',
        manyLines(() => '- x'),
      ),
  ],
  [
    'as many table rows as allowed, continuing one row',
    () =>
      withTable(
        taskRow({}),
        manyLines(() => row('', 'x', 'Sở A,', '', '', 'x')),
      ),
  ],
  ['as many table rows as allowed', () => withTable(manyLines((i) => row(String(i + 1), 'x', 'Sở A', '', '2023', '')))],
  ['a digit ordinal of 1 MB, then a row without one', () => withTable(taskRow({ ordinal: fill('1', 'x') }), taskRow({ ordinal: '' }))],
  ['1 MB of digits in a timeframe cell', () => withTable(taskRow({ timeframe: fill('1', ' x') }))],
  ['deeply nested parentheses in a cell', () => withTable(taskRow({ coordinating: `${'('.repeat(SIZE / 2)}${')'.repeat(SIZE / 2)}` }))],
  ['deeply nested parentheses in prose', () => withProse(`a) Sở Tư pháp chủ trì: ${'('.repeat(SIZE / 2)}${')'.repeat(SIZE / 2)}`)],
  ['unclosed tags in a cell', () => withTable(taskRow({ coordinating: fill('<a') }))],
  // The table model: page breaks, continuations, furniture, labels and paragraphs run together.
  [
    'as many rows as allowed, each an unnumbered continuation after a repeated header, then a numbered row',
    () =>
      withTable(
        taskRow({}),
        manyLines((i) => (i % 2 === 0 ? TABLE_HEADER : row('', 'x', '', '', '', 'x'))),
        taskRow({ ordinal: '2' }),
      ),
  ],
  [
    'as many rows as allowed, each continuing the lead cell with a known agency and no separator',
    () =>
      withTable(
        taskRow({}),
        manyLines(() => row('', '', 'Sở Tư pháp', '', '', '')),
        taskRow({ ordinal: '2' }),
      ),
  ],
  [
    'as many rows as allowed, unnumbered rows that look like whole rows between two numbers',
    () =>
      withTable(
        taskRow({}),
        manyLines(() => row('', 'Rà soát', 'Sở Tư pháp', '', 'Năm 2023', '')),
        taskRow({ ordinal: '3' }),
      ),
  ],
  [
    'as many lines as allowed, page furniture between rows',
    () => withTable(manyLines((i) => (i % 3 === 2 ? taskRow({ ordinal: String(i) }) : `- ${i} -`))),
  ],
  ['a lead cell of 1 MB of role labels', () => withTable(taskRow({ lead: fill('- CQ chủ trì: Sở Tư pháp - CQ phối hợp: ') }))],
  [
    'a both-roles cell of 1 MB of label prefixes without a role',
    () => [HEADER, 'PHỤ LỤC', BOTH_HEADER, row('1', 'Rà soát', fill('Cơ quan '), '2023')].join('\n'),
  ],
  [
    '1 MB of paragraphs in a task cell under as many numbers',
    () => withTable(taskRow({ ordinal: '<p>1</p>'.repeat(SIZE / 16 + 1), title: '<p>x</p>'.repeat(SIZE / 16 + 1) })),
  ],
  ['1 MB of paragraphs in a task cell under one number', () => withTable(taskRow({ title: fill('<p>x</p>') }))],
  ['1 MB of day/month fragments in a timeframe cell', () => withTable(taskRow({ timeframe: fill('1 / ', 'x') }))],
  ['1 MB of "theo" in a timeframe cell', () => withTable(taskRow({ timeframe: fill('theo ') }))],
  ['unclosed tags in prose', () => withProse(fill('<p '))],
  ['1 MB of asterisks', () => withProse(fill('*'))],
];

describe(`${parsePlanText.name} on hostile input`, () => {
  it.each(DOCUMENTS)('does read or refuse %s within 2 s', (_label, build) => {
    const text = build();
    expect(utf8Length(text)).toBeGreaterThanOrEqual(SIZE);
    expect(utf8Length(text)).toBeLessThanOrEqual(MAX_PLAN_BYTES);
    const started = performance.now();
    let outcome: unknown;
    try {
      outcome = parsePlanText(text);
    } catch (error) {
      outcome = error;
    }
    const elapsed = performance.now() - started;
    if (outcome instanceof Error && !(outcome instanceof PlanImportError)) throw outcome;
    expect(Math.round(elapsed)).toBeLessThan(BUDGET_MS);
  });
});
