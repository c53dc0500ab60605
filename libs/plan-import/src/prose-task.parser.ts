import type { AgencyAliasResolver } from './agency-alias.resolver';
import type { DraftSection } from './draft-plan.types';
import { parseLeadIn, type LeadIn } from './lead-in.parser';
import type { Paragraph } from './paragraph-reflow.util';
import { assertTaskCount } from './plan-limits';

/** A task read from prose, agencies still as written. */
export interface ProseTask {
  ordinal: string;
  section: string | null;
  title: string;
  lead: string[];
  coordinating: string[];
  timeframe: string;
  line: number;
}

interface Agencies {
  lead: string[];
  coordinating: string[];
}

// Dates written into the task sentence itself; other dates there are references to documents.
const PROSE_TIMEFRAME = /(?:đến\s+)?hết\s+năm\s+\d{4}|trước\s+ngày\s+\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4}/iu;

/**
 * Reads "a) X leads, with Y: …" assignments and the bullets under them from the
 * tasks chapter. Numbered items are sections; a bullet inherits the agencies named above it.
 */
export function parseProseTasks(paragraphs: readonly Paragraph[], resolver: AgencyAliasResolver): ProseTasks {
  const walker = new ProseWalker(resolver);
  for (const paragraph of paragraphs) walker.visit(paragraph);
  return { sections: walker.sections, tasks: walker.tasks, skippedLines: walker.skippedLines };
}

export interface ProseTasks {
  sections: DraftSection[];
  tasks: ProseTask[];
  /** Bullets that name no agency, directly or above them: not tasks anyone could be given. */
  skippedLines: number[];
}

class ProseWalker {
  readonly sections: DraftSection[] = [];
  readonly tasks: ProseTask[] = [];
  readonly skippedLines: number[] = [];
  private section: string | null = null;
  private letter: string | null = null;
  private letterHasTask = false;
  private context: Agencies | null = null; // from the lettered item or a lead-in paragraph
  private sectionContext: Agencies | null = null; // a lead-in paragraph before the first letter
  private bullet: { ordinal: string; agencies: Agencies | null } | null = null;
  private bulletCount = 0;
  private subBulletCount = 0;
  private last: ProseTask | null = null;

  constructor(private readonly resolver: AgencyAliasResolver) {}

  visit(paragraph: Paragraph): void {
    if (paragraph.kind === 'number') return this.openSection(paragraph);
    if (paragraph.kind === 'letter') return this.openLetter(paragraph);
    if (paragraph.kind === 'plain') return this.visitPlain(paragraph);
    if (paragraph.kind === 'dash') return this.visitBullet(paragraph);
    if (paragraph.kind === 'plus') return this.visitSubBullet(paragraph);
  }

  private openSection(paragraph: Paragraph): void {
    this.section = paragraph.label;
    this.sections.push({ ordinal: paragraph.label ?? String(this.sections.length + 1), title: paragraph.text });
    this.letter = null;
    this.sectionContext = null;
    this.resetItem();
  }

  private openLetter(paragraph: Paragraph): void {
    this.letter = paragraph.label;
    this.resetItem();
    const leadIn = parseLeadIn(paragraph.text, this.resolver);
    this.context = leadIn ?? this.sectionContext;
    // Without agencies a short item is a topic heading; a full sentence is a task for the
    // agencies named at the top of the section.
    const text = leadIn ? leadIn.ownText : isSentence(paragraph.text) && this.sectionContext ? paragraph.text : null;
    if (text) {
      this.letterHasTask = true;
      this.add(this.letter ?? '1', text, this.context, paragraph);
    }
  }

  // A lead-in paragraph sets the agencies for what follows; other text continues the last task.
  private visitPlain(paragraph: Paragraph): void {
    const leadIn = parseLeadIn(paragraph.text, this.resolver);
    if (!leadIn) {
      if (this.last) this.last.title = `${this.last.title} ${paragraph.text}`;
      return;
    }
    this.context = leadIn;
    if (this.letter === null) this.sectionContext = leadIn;
    this.bullet = null;
    if (!leadIn.ownText) return;
    const ordinal = this.letter !== null && !this.letterHasTask ? this.letter : this.nextBulletOrdinal();
    this.letterHasTask ||= this.letter !== null;
    this.add(ordinal, leadIn.ownText, leadIn, paragraph);
  }

  private visitBullet(paragraph: Paragraph): void {
    const leadIn = parseLeadIn(paragraph.text, this.resolver);
    const agencies = leadIn ?? this.context;
    const ordinal = this.nextBulletOrdinal();
    // "- X leads:" only names agencies for the "+" items below it.
    if (!leadIn || leadIn.ownText) this.add(ordinal, leadIn?.ownText ?? paragraph.text, agencies, paragraph);
    this.bullet = { ordinal, agencies };
    this.subBulletCount = 0;
  }

  private visitSubBullet(paragraph: Paragraph): void {
    const leadIn = parseLeadIn(paragraph.text, this.resolver);
    const agencies = leadIn ?? this.bullet?.agencies ?? this.context;
    const parent = this.bullet?.ordinal ?? this.prefix();
    const ordinal = [parent, String(++this.subBulletCount)].filter((part) => part.length > 0).join('.');
    this.add(ordinal, leadIn?.ownText ?? paragraph.text, agencies, paragraph);
  }

  private nextBulletOrdinal(): string {
    return [this.prefix(), String(++this.bulletCount)].filter((part) => part.length > 0).join('.');
  }

  private prefix(): string {
    return this.letter ?? '';
  }

  private resetItem(): void {
    Object.assign(this, { letterHasTask: false, context: null, bullet: null, bulletCount: 0, subBulletCount: 0, last: null });
  }

  private add(ordinal: string, title: string, agencies: Agencies | LeadIn | null, paragraph: Paragraph): void {
    if (!agencies || agencies.lead.length === 0) {
      this.skippedLines.push(paragraph.line);
      return;
    }
    const task: ProseTask = {
      ordinal,
      section: this.section,
      title,
      lead: agencies.lead,
      coordinating: agencies.coordinating,
      timeframe: PROSE_TIMEFRAME.exec(paragraph.text)?.[0] ?? '',
      line: paragraph.line,
    };
    this.tasks.push(task);
    assertTaskCount(this.tasks.length);
    this.last = task;
  }
}

function isSentence(text: string): boolean {
  return text.length > 80 || /[.;]$/u.test(text);
}
