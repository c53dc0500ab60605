import { badInput, forbidden } from './domain-error';
import { assertStorableText, LIMITS } from './validation';

const MAX_PROVINCE_CODE = LIMITS.provinceCode;

// What a caller may read: one province, or every province (national ADMIN/AUDITOR, '*').
// Every repository read of tenant data takes one. It is built from a verified token (ofActor) or
// explicitly by an operator entry point (province/national); arguments can only narrow it.
export class Scope {
  private constructor(readonly provinceCode: string | null) {}

  static ofActor(actor: { provinceCode: string }): Scope {
    return actor.provinceCode === '*' ? new Scope(null) : new Scope(actor.provinceCode);
  }

  // For the system (sweep, digest) and operator CLIs, which act across provinces on purpose.
  static national(): Scope {
    return new Scope(null);
  }

  static province(code: string): Scope {
    return new Scope(code);
  }

  get national(): boolean {
    return this.provinceCode === null;
  }

  includes(provinceCode: string): boolean {
    return this.provinceCode === null || this.provinceCode === provinceCode;
  }

  // provinceCode can only narrow: another province is FORBIDDEN, an empty code BAD_USER_INPUT.
  narrow(provinceCode: string | null | undefined): Scope {
    if (provinceCode === null || provinceCode === undefined) return this;
    if (typeof provinceCode !== 'string' || provinceCode.trim() === '') {
      throw badInput('provinceCode must not be empty: leave it out to mean your own province', { field: 'provinceCode' });
    }
    if (provinceCode.length > MAX_PROVINCE_CODE) {
      throw badInput(`provinceCode is longer than ${MAX_PROVINCE_CODE} characters`, { field: 'provinceCode' });
    }
    assertStorableText(provinceCode, 'provinceCode');
    if (provinceCode === '*') {
      if (this.national) return this;
      throw forbidden('Only national ADMIN or AUDITOR tokens see every province ("*")', { rule: 'other-province' });
    }
    if (!this.includes(provinceCode)) {
      throw forbidden(`Your token is for province "${this.provinceCode}", not "${provinceCode}"`, { rule: 'other-province' });
    }
    return new Scope(provinceCode);
  }
}
