import { createHash } from 'node:crypto';
import { PlanImportError, parsePlanText, slugify, type DraftPlan } from '@app/plan-import';
import type { Actor } from '../auth/actor';
import type { AccessDenialsService } from '../audit/access-denials.service';
import { badInput, conflict } from '../common/domain-error';
import { Scope } from '../common/scope';
import { assertStorableText } from '../common/validation';
import type { AgencyRepository } from '../repositories/agency.repository';
import type { PlanEntity, PlanRepository } from '../repositories/plan.repository';
import { isUniqueViolation, type Transactions } from '../repositories/transaction';
import { draftToPlan } from './draft-to-plan';
import type { NewPlan } from './new-plan';
import type { PlanWriterService } from './plan-writer.service';
import type { AmendmentOutcome, PlanAmendmentService } from './amendment/plan-amendment.service';
import type { Clock } from '../common/clock';

export const IMPORT_FORMATS = ['PLAN_TEXT', 'DOCX', 'XLSX'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];
export const MAX_DOCUMENT_BYTES = 10 * 1024 * 1024;

export interface ImportCommand {
  provinceCode?: string | null;
  format: ImportFormat;
  content: string;
  dryRun?: boolean | null;
}

export type ImportStatus = 'CREATED' | 'AMENDED' | 'ALREADY_IMPORTED' | 'DRY_RUN';

export interface ImportOutcome {
  status: ImportStatus;
  plan: PlanEntity | null;
  tasksCreated: number;
  // a newer version of a plan already imported (same province, number and year): its diff, applied
  // (AMENDED) or shown (DRY_RUN); null otherwise
  amendment: AmendmentOutcome | null;
  warnings: string[];
  draft: DraftPlan;
  provinceCode: string;
}

// Document → draft (pure library) → plan, in one transaction; a failed import writes nothing.
export interface PlanImportDeps {
  agencies: AgencyRepository;
  plans: PlanRepository;
  transactions: Transactions;
  writer: PlanWriterService;
  denials: AccessDenialsService;
  amendments: PlanAmendmentService;
  clock: Clock;
}

export class PlanImportService {
  constructor(private readonly deps: PlanImportDeps) {}

  async import(actor: Actor, command: ImportCommand): Promise<ImportOutcome> {
    await this.deps.denials.requireAdmin(actor, 'import-plan', null);
    const scope = Scope.ofActor(actor);
    const provinceHint =
      command.provinceCode !== null && command.provinceCode !== undefined ? checkedProvinceCode(command.provinceCode) : null;
    if (provinceHint) {
      await this.deps.denials.guardAdmin(actor, { operation: 'import-plan', provinceCode: null, target: provinceHint }, () =>
        scope.narrow(provinceHint),
      );
    }
    const text = await documentText(command);
    const draft = await this.parse(scope, text, provinceHint);
    const provinceCode = provinceHint ?? draft.provinceCode;
    if (!provinceCode) throw badInput('The document does not say which province it is from: give provinceCode');
    await this.deps.denials.requireAdmin(actor, 'import-plan', provinceCode);
    const sourceHash = fingerprint(text);
    const conversion = draftToPlan(draft, { code: provinceCode, name: await this.provinceName(provinceCode, draft) }, sourceHash);
    const warnings = [...draft.warnings, ...conversion.warnings];
    if (conversion.plan.tasks.length === 0) throw badInput('No task of the document could be imported', { warnings });
    try {
      return await this.write(actor, command, conversion.plan, draft, warnings, provinceCode);
    } catch (error) {
      // the same document imported at the same moment: the other import won the unique index
      if (!isUniqueViolation(error)) throw error;
      return this.write(actor, command, conversion.plan, draft, warnings, provinceCode);
    }
  }

  private write(
    actor: Actor,
    command: ImportCommand,
    plan: NewPlan,
    draft: DraftPlan,
    warnings: string[],
    provinceCode: string,
  ): Promise<ImportOutcome> {
    const { sourceHash } = plan;
    const base = { draft, provinceCode, amendment: null, tasksCreated: 0 };
    return this.deps.transactions.run(async (tx): Promise<ImportOutcome> => {
      const existing = sourceHash ? await this.deps.plans.findBySourceHash(tx, provinceCode, sourceHash) : null;
      if (existing) {
        const note = `This document was already imported as plan ${existing.number} on ${existing.createdAt.toISOString()}; nothing was changed`;
        return { ...base, status: 'ALREADY_IMPORTED', plan: existing, warnings: [note, ...warnings] };
      }
      const { number, issuedOn } = plan;
      // A newer version of a plan already imported (same province, number and year) amends it. Locked:
      // amendments of one plan apply one after the other, and each sees the versions before it.
      const amended = await this.deps.plans.lockAmendable(tx, provinceCode, number, plan.year);
      if (amended) {
        const versions = await this.deps.plans.versionsIn(tx, provinceCode, amended.id);
        const earlier = sourceHash ? versions.find((v) => v.sourceHash === sourceHash) : undefined;
        if (earlier) {
          const latest = versions[versions.length - 1].version;
          const note =
            `This document is version ${earlier.version} of plan ${amended.number}, imported on ${earlier.importedAt.toISOString()}; ` +
            `the plan is at version ${latest} now; nothing was changed`;
          return { ...base, status: 'ALREADY_IMPORTED', plan: amended, warnings: [note, ...warnings] };
        }
        if (!issuedOn || !amended.issuedOn || issuedOn === amended.issuedOn) {
          throw conflict(
            `Plan ${number} of ${issuedOn ?? 'unknown date'} already exists with a different text (id ${amended.id}). ` +
              `An amended version (sửa đổi, bổ sung) must be dated after ${amended.issuedOn ?? 'the plan it amends'}`,
          );
        }
        if (issuedOn < amended.issuedOn) {
          throw badInput(
            `This document (plan ${number} of ${issuedOn}) is older than the imported version of ${amended.issuedOn}: ` +
              'only a newer version amends a plan; nothing was changed',
            { field: 'content' },
          );
        }
        const outcome = await this.deps.amendments.amend(
          tx,
          actor,
          amended,
          versions,
          plan,
          this.deps.clock.now(),
          Boolean(command.dryRun),
        );
        return {
          ...base,
          status: command.dryRun ? 'DRY_RUN' : 'AMENDED',
          plan: command.dryRun ? null : outcome.plan,
          tasksCreated: command.dryRun ? 0 : outcome.tasksCreated,
          amendment: outcome,
          warnings: [...outcome.warnings, ...warnings],
        };
      }
      const clash = await this.deps.plans.findByNumber(tx, provinceCode, number, issuedOn);
      if (clash) throw conflict(`Plan ${number} of ${issuedOn ?? 'unknown date'} already exists with a different text (id ${clash.id})`);
      if (command.dryRun) return { ...base, status: 'DRY_RUN', plan: null, warnings };
      const written = await this.deps.writer.writeIn(tx, plan);
      await this.deps.plans.insertVersion(tx, {
        provinceCode,
        planId: written.plan.id,
        version: 1,
        number,
        title: plan.title,
        issuedOn,
        sourceHash: sourceHash ?? null,
        importedBy: actor.userId,
        summary: { tasksCreated: written.tasksCreated },
      });
      return { ...base, status: 'CREATED', plan: written.plan, tasksCreated: written.tasksCreated, warnings };
    });
  }

  private async parse(scope: Scope, text: string, provinceCode: string | null): Promise<DraftPlan> {
    const known = provinceCode ? await this.deps.agencies.knownAgencies(scope, provinceCode) : [];
    try {
      return parsePlanText(text, { knownAgencies: known.map((a) => ({ name: a.name, aliases: a.aliases, isGroup: a.isGroup })) });
    } catch (error) {
      if (error instanceof PlanImportError) throw badInput(error.message);
      throw error;
    }
  }

  private async provinceName(code: string, draft: DraftPlan): Promise<string> {
    const existing = await this.deps.agencies.provinceName(code);
    return existing ?? (draft.provinceCode === code && draft.provinceName ? draft.provinceName : code);
  }
}

// The same document whatever its line ends, byte-order mark or Unicode normal form.
function fingerprint(text: string): string {
  const normalized = text
    .replace(/^\ufeff/u, '')
    .replace(/\r\n?/gu, '\n')
    .normalize('NFC');
  return createHash('sha256').update(normalized).digest('hex');
}

async function documentText(command: ImportCommand): Promise<string> {
  if (!(IMPORT_FORMATS as readonly string[]).includes(command.format)) throw badInput(`format must be one of ${IMPORT_FORMATS.join(', ')}`);
  if (typeof command.content !== 'string' || command.content.trim() === '') throw badInput('content is empty: send the document');
  if (command.format === 'PLAN_TEXT') {
    if (Buffer.byteLength(command.content, 'utf8') > MAX_DOCUMENT_BYTES)
      throw badInput(`content: the document is larger than ${MAX_DOCUMENT_BYTES / 1048576} MB`, { field: 'content' });
    if (command.content.includes('\u0000')) {
      throw badInput('content contains NUL characters: the file looks binary, not plain text. Save the plan as UTF-8 .txt and try again', {
        field: 'content',
      });
    }
    assertStorableText(command.content, 'content');
    return command.content;
  }
  const buffer = decodeBase64(command.content);
  try {
    // the converters (ExcelJS, JSZip, saxes) load on the first document, not at start-up
    if (command.format === 'DOCX') return await (await import('./documents/docx-text')).docxToPlanText(buffer);
    return await (await import('./documents/xlsx-text')).xlsxToPlanText(buffer);
  } catch (error) {
    // a refused zip (ZIP_LIMITS) already says what is wrong with it
    if (error instanceof PlanImportError) throw badInput(error.message);
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
  if (code.trim() === '')
    throw badInput('provinceCode must not be empty: leave it out to use the province the document names', { field: 'provinceCode' });
  const slug = slugify(code);
  if (slug !== code || code.length > 60) {
    throw badInput(`provinceCode must be a slug such as "soc-trang", got "${code.slice(0, 60)}"`, { field: 'provinceCode' });
  }
  return code;
}
