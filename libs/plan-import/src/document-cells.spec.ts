import { documentText, type SourceCell, type SourceRow } from './document-cells';

// The cell model's rendering on its own: what reaches the appendix table model as text.

const cell = (text: string, more: Partial<SourceCell> = {}): SourceCell => ({ text, span: 1, continuesAbove: false, ...more });
const below = (): SourceCell => cell('', { continuesAbove: true });
const row = (cells: SourceCell[], header = false): SourceRow => ({ cells, header });
const HEADER = ['STT', 'Nhiệm vụ', 'Đơn vị chủ trì', 'Đơn vị phối hợp', 'Thời gian', 'Ghi chú'];
const header = (marked = false) =>
  row(
    HEADER.map((text) => cell(text)),
    marked,
  );
const table = (rows: SourceRow[]) => documentText([{ kind: 'table', rows }]).split('\n');

describe('documentText', () => {
  it('does fill merged-down agency and timeframe cells of numbered rows only, never title or note', () => {
    expect(
      table([
        header(),
        row([cell('1'), cell('Việc một', { span: 1 }), cell('Sở A'), cell('Sở B'), cell('Năm 2030'), cell('ghi')]),
        row([cell('2'), below(), below(), below(), below(), below()]),
        row([cell(''), cell('tiếp'), below(), below(), below(), below()]),
      ]),
    ).toEqual([HEADER.join('\t'), '1\tViệc một\tSở A\tSở B\tNăm 2030\tghi', '2\t\tSở A\tSở B\tNăm 2030\t', '\ttiếp\t\t\t\t']);
  });

  it('does write one header line for a marked header repeated anywhere, however many rows it has', () => {
    const numbers = row(
      HEADER.map((_, i) => cell(`(${i + 1})`)),
      true,
    );
    const task = (n: number) => row([cell(String(n)), cell(`Việc ${n}`), cell('Sở A'), cell(''), cell(''), cell('')]);
    expect(table([header(true), numbers, task(1), header(true), numbers, task(2)])).toEqual([
      HEADER.join('\t'),
      '1\tViệc 1\tSở A\t\t\t',
      HEADER.join('\t'),
      '2\tViệc 2\tSở A\t\t\t',
    ]);
  });

  it('does not take the mark for a header on rows that neither name nor number columns (a converter marking every row)', () => {
    const marked = (cells: string[]) =>
      row(
        cells.map((text) => cell(text)),
        true,
      );
    expect(
      table([
        header(true),
        marked(['I. Phần', '', '', '', '', '']),
        marked(['1', 'Việc 1', 'Sở A', '', '', '']),
        marked(['', 'tiếp', '', '', '', '']),
      ]),
    ).toEqual([HEADER.join('\t'), 'I. Phần\t\t\t\t\t', '1\tViệc 1\tSở A\t\t\t', '\ttiếp\t\t\t\t']);
  });

  it('does put cells on the grid (spans) and leave out rows without text', () => {
    expect(table([header(), row([cell('I. Phần', { span: 6 })]), row([cell(''), cell('', { span: 5 })])])).toEqual([
      HEADER.join('\t'),
      'I. Phần\t\t\t\t\t',
    ]);
  });

  it('does read a header row spanning "Cơ quan thực hiện" over a row naming "Chủ trì" and "Phối hợp" as one header', () => {
    const top = row([cell('STT'), cell('Nhiệm vụ'), cell('Cơ quan thực hiện', { span: 2 }), cell('Thời gian')]);
    const names = row([below(), below(), cell('Chủ trì'), cell('Phối hợp'), below()]);
    expect(table([top, names])).toEqual(['STT\tNhiệm vụ\tCơ quan thực hiện Chủ trì\tPhối hợp\tThời gian']);
  });
});
