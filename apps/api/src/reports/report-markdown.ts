import type { Cell, ConsolidatedReport, ReportTable } from './consolidated-report';

// The consolidated report as Markdown (GitHub tables), for mail bodies and review in a browser.
export function reportMarkdown(report: ConsolidatedReport): string {
  const [first, ...rest] = report.heading;
  const lines = [`# ${inline(first)}`, '', ...rest.map((line) => `${inline(line)}  `), ''];
  lines.push(`## ${report.appendixTitle}`, '', tableHead(report.appendixHeaders));
  for (const group of report.appendix) {
    if (group.heading !== null) lines.push(row([`**${inline(group.heading)}**`, ...report.appendixHeaders.slice(1).map(() => '')], false));
    for (const cells of group.rows) lines.push(row(cells));
  }
  lines.push('', ...table(report.agencies), '', ...table(report.sections), '');
  if (report.withdrawn) lines.push(...table(report.withdrawn), '');
  if (report.amendments) lines.push(...table(report.amendments), '');
  return lines.join('\n');
}

function table(t: ReportTable): string[] {
  return [
    `## ${t.title}`,
    '',
    tableHead(t.headers),
    ...t.rows.map((cells) => row(cells)),
    row(
      t.total.map((c) => (c === '' || c === null ? '' : `**${text(c)}**`)),
      false,
    ),
  ];
}

function tableHead(headers: readonly string[]): string {
  return `${row([...headers])}\n|${headers.map(() => '---').join('|')}|`;
}

function row(cells: Cell[], escape = true): string {
  return `| ${cells.map((cell) => (escape ? text(cell) : String(cell ?? ''))).join(' | ')} |`;
}

// A cell on one line: pipes and HTML escaped, line breaks as <br>, decimals with a comma as Vietnamese writes them.
function text(cell: Cell): string {
  if (cell === null) return '';
  if (typeof cell === 'number') return String(Math.round(cell * 100) / 100).replace('.', ',');
  return inline(cell);
}

function inline(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/\r?\n/g, '<br>');
}
