import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { PlanImportError, parsePlanText, slugify, type DraftPlan } from '@app/plan-import';
import { AgencyEntity } from '../database/entities/agency.entity';
import { ProvinceEntity } from '../database/entities/province.entity';
import { hasRole, type Actor } from '../auth/actor';
import { badInput, conflict, forbidden } from '../common/domain-error';
import { docxToPlanText } from './documents/docx-text';
import { xlsxToPlanText } from './documents/xlsx-text';
import { draftToPlan } from './draft-to-plan';
import type { NewPlan } from './new-plan';
import { PlanEntity } from '../database/entities/plan.entity';
import type { PlanWriterService } from './plan-writer.service';

export const IMPORT_FORMATS = ['PLAN_TEXT', 'DOCX', 'XLSX'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];
export const MAX_DOCUMENT_BYTES = 10 * 1024 * 1024;

export interface ImportCommand {
  provinceCode?: string | null;
  format: ImportFormat;
  content: string;
  dryRun?: boolean | null;
}

export type ImportStatus = 'CREATED' | 'ALREADY_IMPORTED' | 'DRY_RUN';

export interface ImportOutcome {
  status: ImportStatus;
  plan: PlanEntity | null;
  tasksCreated: number;
  warnings: string[];
  draft: DraftPlan;
  provinceCode: string;
}

// Document → draft (pure library) → plan, in one transaction; a failed import writes nothing.
export class PlanImportService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly writer: PlanWriterService,
  ) {}

  async import(actor: Actor, command: ImportCommand): Promise<ImportOutcome> {
    if (!hasRole(actor, 'ADMIN')) throw forbidden('Importing plans needs the ADMIN role', { rule: 'import-needs-admin' });
    const text = await documentText(command);
    const provinceHint = command.provinceCode ? checkedProvinceCode(command.provinceCode) : null;
    const draft = await this.parse(text, provinceHint);
    const provinceCode = provinceHint ?? draft.provinceCode;
    if (!provinceCode) throw badInput('The document does not say which province it is from: give provinceCode');
    if (actor.provinceCode !== '*' && actor.provinceCode !== provinceCode) {
      throw forbidden(`Your token is for province "${actor.provinceCode}", not "${provinceCode}"`, { rule: 'other-province' });
    }
    const sourceHash = fingerprint(text);
    const conversion = draftToPlan(draft, { code: provinceCode, name: await this.provinceName(provinceCode, draft) }, sourceHash);
    const warnings = [...draft.warnings, ...conversion.warnings];
    if (conversion.plan.tasks.length === 0) throw badInput('No task of the document could be imported', { warnings });
    try {
      return await this.write(command, conversion.plan, draft, warnings, provinceCode);
    } catch (error) {
      // the same document imported at the same moment: the other import won the unique index
      if ((error as { driverError?: { code?: string } }).driverError?.code !== '23505') throw error;
      return this.write(command, conversion.plan, draft, warnings, provinceCode);
    }
  }

  private write(command: ImportCommand, plan: NewPlan, draft: DraftPlan, warnings: string[], provinceCode: string): Promise<ImportOutcome> {
    const { sourceHash } = plan;
    return this.dataSource.transaction(async (manager) => {
      const existing = await manager.findOne(PlanEntity, { where: { provinceCode, sourceHash: sourceHash ?? undefined } });
      if (existing) {
        const note = `This document was already imported as plan ${existing.number} on ${existing.createdAt.toISOString()}; nothing was changed`;
        return { status: 'ALREADY_IMPORTED', plan: existing, tasksCreated: 0, warnings: [note, ...warnings], draft, provinceCode };
      }
      const { number, issuedOn } = plan;
      const clash = await manager.findOne(PlanEntity, { where: { provinceCode, number, ...(issuedOn ? { issuedOn } : {}) } });
      if (clash) throw conflict(`Plan ${number} of ${issuedOn ?? 'unknown date'} already exists with a different text (id ${clash.id})`);
      if (command.dryRun) return { status: 'DRY_RUN', plan: null, tasksCreated: 0, warnings, draft, provinceCode };
      const written = await this.writer.writeIn(manager, plan);
      return { status: 'CREATED', plan: written.plan, tasksCreated: written.tasksCreated, warnings, draft, provinceCode };
    });
  }

  private async parse(text: string, provinceCode: string | null): Promise<DraftPlan> {
    const known = provinceCode ? await this.dataSource.getRepository(AgencyEntity).find({ where: { provinceCode } }) : [];
    try {
      return parsePlanText(text, { knownAgencies: known.map((a) => ({ name: a.name, aliases: a.aliases, isGroup: a.isGroup })) });
    } catch (error) {
      if (error instanceof PlanImportError) throw badInput(error.message);
      throw error;
    }
  }

  private async provinceName(code: string, draft: DraftPlan): Promise<string> {
    const existing = await this.dataSource.getRepository(ProvinceEntity).findOne({ where: { code } });
    return existing?.name ?? (draft.provinceCode === code && draft.provinceName ? draft.provinceName : code);
  }
}

// The same document whatever its line ends, byte-order mark or Unicode normal form.
function fingerprint(text: string): string {
  const normalized = text.replace(/^\ufeff/u, '').replace(/\r\n?/gu, '\n').normalize('NFC');
  return createHash('sha256').update(normalized).digest('hex');
}

async function documentText(command: ImportCommand): Promise<string> {
  if (!(IMPORT_FORMATS as readonly string[]).includes(command.format)) throw badInput(`format must be one of ${IMPORT_FORMATS.join(', ')}`);
  if (typeof command.content !== 'string' || command.content.trim() === '') throw badInput('content is empty: send the document');
  if (command.format === 'PLAN_TEXT') {
    if (Buffer.byteLength(command.content, 'utf8') > MAX_DOCUMENT_BYTES) throw badInput(`The document is larger than ${MAX_DOCUMENT_BYTES / 1048576} MB`);
    return command.content;
  }
  const buffer = decodeBase64(command.content);
  try {
    return command.format === 'DOCX' ? await docxToPlanText(buffer) : await xlsxToPlanText(buffer);
  } catch (error) {
    throw badInput(`This is not a readable ${command.format} file: ${(error as Error).message}`);
  }
}

function decodeBase64(content: string): Buffer {
  const compact = content.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact)) throw badInput('content must be base64 for DOCX and XLSX');
  const buffer = Buffer.from(compact, 'base64');
  if (buffer.length > MAX_DOCUMENT_BYTES) throw badInput(`The document is larger than ${MAX_DOCUMENT_BYTES / 1048576} MB`);
  if (buffer.length === 0) throw badInput('content is empty: send the document');
  return buffer;
}

function checkedProvinceCode(code: string): string {
  const slug = slugify(code);
  if (slug !== code || code.length > 60) throw badInput(`provinceCode must be a slug such as "soc-trang", got "${code.slice(0, 60)}"`);
  return code;
}
