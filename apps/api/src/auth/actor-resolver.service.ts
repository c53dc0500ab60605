import { unauthenticated } from '../common/domain-error';
import type { AgencyRepository } from '../repositories/agency.repository';
import type { Actor } from './actor';
import type { JwtService, TokenClaims } from './jwt.service';

const CACHE_TTL_MS = 30_000;
// Signed tokens may name any (province, agency) pair (an AUDITOR's agency need not be in the
// registry), so the cache has a bound: past it, expired entries go first, then the oldest.
const MAX_CACHED_AGENCIES = 10_000;

export interface ActorResolverOptions {
  maxCachedAgencies?: number;
}

// Authentication only: a verified token whose agency is in its province's registry becomes an Actor.
export class ActorResolver {
  private readonly agencyCache = new Map<string, { id: string | null; expires: number }>();

  private readonly maxCachedAgencies: number;

  constructor(
    private readonly jwt: JwtService,
    private readonly agencies: AgencyRepository,
    options: ActorResolverOptions = {},
  ) {
    this.maxCachedAgencies = Math.max(1, options.maxCachedAgencies ?? MAX_CACHED_AGENCIES);
  }

  get cachedAgencies(): number {
    return this.agencyCache.size;
  }

  async fromAuthorization(header: string | undefined | null): Promise<Actor> {
    if (!header) throw unauthenticated('Missing Authorization header: send "Authorization: Bearer <JWT>"');
    const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
    if (!match) throw unauthenticated('Authorization header must be "Bearer <JWT>"');
    const claims = await this.jwt.verify(match[1]);
    return this.toActor(claims);
  }

  private async toActor(claims: TokenClaims): Promise<Actor> {
    // Only pure ADMIN/AUDITOR tokens may name an agency outside the registry (or province '*').
    const national = claims.roles.every((role) => role === 'ADMIN' || role === 'AUDITOR');
    if (claims.province === '*' && !national) throw unauthenticated('Only tokens whose roles are ADMIN or AUDITOR may have province "*"');
    const agencyId = claims.province === '*' ? null : await this.agencyId(claims.province, claims.agency);
    if (agencyId === null && !national) {
      throw unauthenticated(`Agency "${claims.agency}" is not in the registry of province "${claims.province}"`);
    }
    return {
      kind: 'user',
      userId: claims.sub,
      provinceCode: claims.province,
      agencyCode: claims.agency,
      agencyId,
      roles: claims.roles,
    };
  }

  private async agencyId(province: string, code: string): Promise<string | null> {
    const key = `${province}\u0000${code}`;
    const cached = this.agencyCache.get(key);
    if (cached && cached.expires > Date.now()) return cached.id;
    const agency = await this.agencies.findByCode(province, code);
    this.agencyCache.delete(key);
    if (this.agencyCache.size >= this.maxCachedAgencies) this.evict(Date.now());
    this.agencyCache.set(key, { id: agency?.id ?? null, expires: Date.now() + CACHE_TTL_MS });
    return agency?.id ?? null;
  }

  private evict(now: number): void {
    for (const [key, entry] of this.agencyCache) if (entry.expires <= now) this.agencyCache.delete(key);
    // Map iterates in insertion order: the first keys are the oldest
    for (const key of this.agencyCache.keys()) {
      if (this.agencyCache.size < this.maxCachedAgencies) break;
      this.agencyCache.delete(key);
    }
  }
}
