import { agencyKey, agencyKeyVariants, tidyAgencyName } from './agency-key.util';
import { BUILT_IN_AGENCIES, BUILT_IN_PATTERNS, type KnownAgency } from './agency-registry.data';
import { slugify } from './slug';
import { boundedMemo } from './bounded-memo';

export interface ResolvedAgency {
  name: string;
  code: string;
  isGroup: boolean;
  confident: boolean;
}

interface Canonical {
  name: string;
  isGroup: boolean;
}

/**
 * Maps the many spellings of an agency to one canonical name. Entries passed to the constructor
 * win over the built-in registry; unknown names pass through as written with confident = false.
 */
export class AgencyAliasResolver {
  private readonly byKey = new Map<string, Canonical>();

  constructor(known: readonly KnownAgency[] = []) {
    // Later registrations must not shadow the caller's entries, so register those first.
    for (const agency of [...known, ...BUILT_IN_AGENCIES]) this.register(agency);
  }

  resolve(raw: string): ResolvedAgency {
    const key = agencyKey(raw);
    const found = this.cachedLookup(key);
    if (found) return { name: found.name, code: slugify(found.name), isGroup: found.isGroup, confident: true };
    const name = tidyAgencyName(raw);
    return { name, code: slugify(name), isGroup: looksLikeGroup(key), confident: false };
  }

  // One plan asks for the same few dozen keys hundreds of times (prose fragments, cells).
  private readonly cachedLookup = boundedMemo((key) => this.lookup(key), MAX_CACHED_LOOKUPS, MAX_CACHED_KEY);

  private lookup(key: string): Canonical | null {
    if (key.length === 0) return null;
    for (const variant of agencyKeyVariants(key)) {
      const hit = this.byKey.get(variant) ?? matchPattern(variant);
      if (hit) return hit;
    }
    return null;
  }

  private register(agency: KnownAgency): void {
    const canonical: Canonical = { name: agency.name, isGroup: agency.isGroup ?? false };
    for (const spelling of [agency.name, ...(agency.aliases ?? [])]) {
      const key = agencyKey(spelling);
      if (key.length > 0 && !this.byKey.has(key)) this.byKey.set(key, canonical);
    }
  }
}

const MAX_CACHED_LOOKUPS = 10_000;
const MAX_CACHED_KEY = 300;

function matchPattern(key: string): Canonical | null {
  const hit = BUILT_IN_PATTERNS.find((entry) => entry.pattern.test(key));
  return hit ? { name: hit.name, isGroup: hit.isGroup } : null;
}

// Plural ("the …"), "… concerned" and "district-level …" names stand for several bodies.
function looksLikeGroup(key: string): boolean {
  return /^cac-|(^|-)lien-quan$|(^|-)cap-(huyen|xa)(-|$)/.test(key);
}
