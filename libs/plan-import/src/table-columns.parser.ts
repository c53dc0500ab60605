import { lowerNfc } from './text-cleanup.util';

export type ColumnRole = 'ordinal' | 'title' | 'lead' | 'coordinating' | 'both' | 'timeframe' | 'target' | 'note';

export interface TableColumns {
  width: number;
  index: Partial<Record<ColumnRole, number>>;
  /** A targets column is the only text column: each target is also the task's title. */
  titleIsTarget: boolean;
}

// Header words per role, most specific first ("time of implementation" before "implementation").
const HEADER_WORDS: readonly [ColumnRole, RegExp][] = [
  ['ordinal', /^(stt|tt|số tt|số thứ tự)$/u],
  ['timeframe', /thời gian|thời hạn|tiến độ/u],
  ['both', /chủ trì.*phối hợp|phối hợp.*chủ trì|^(cơ quan|đơn vị) (thực hiện|phụ trách)$/u],
  ['lead', /chủ trì/u],
  ['coordinating', /phối hợp/u],
  ['note', /ghi chú/u],
  ['target', /mục tiêu|chỉ tiêu|kết quả|sản phẩm/u],
  ['title', /nhiệm vụ|nội dung|giải pháp|hoạt động|công việc/u],
];

/** The usual order when a table has lost its header row. */
export const DEFAULT_COLUMNS: TableColumns = {
  width: 6,
  index: { ordinal: 0, title: 1, lead: 2, coordinating: 3, timeframe: 4, note: 5 },
  titleIsTarget: false,
};

/** The role a header cell names, if any. */
export function columnRole(cell: string): ColumnRole | null {
  if (cell.length === 0 || cell.length > 240) return null; // before normalizing: most cells are long or empty
  const text = lowerNfc(cell).trim();
  if (text.length === 0 || text.length > 60) return null;
  return HEADER_WORDS.find(([, pattern]) => pattern.test(text))?.[0] ?? null;
}

/** A header row (also when repeated after a page break) names at least three columns. */
export function isHeaderRow(cells: readonly string[]): boolean {
  return cells.filter((cell) => columnRole(cell) !== null).length >= 3;
}

export function columnsFromHeader(cells: readonly string[]): TableColumns {
  const index: TableColumns['index'] = {};
  cells.forEach((cell, i) => {
    const role = columnRole(cell);
    if (role && index[role] === undefined) index[role] = i;
  });
  // A header that lost its "STT" still has the ordinal in the first column.
  if (index.ordinal === undefined && cells[0]?.trim() === '') index.ordinal = 0;
  const titleIsTarget = index.title === undefined && index.target !== undefined;
  if (titleIsTarget) index.title = index.target;
  if (index.title === undefined) index.title = firstUnassigned(cells.length, index);
  return { width: cells.length, index, titleIsTarget };
}

function firstUnassigned(width: number, index: TableColumns['index']): number | undefined {
  const used = new Set(Object.values(index));
  return [...Array(width).keys()].find((i) => !used.has(i));
}
