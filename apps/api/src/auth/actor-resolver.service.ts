import { unauthenticated } from '../common/domain-error';
import type { AgencyRepository } from '../repositories/agency.repository';
import type { Actor } from './actor';
import type { JwtService, TokenClaims } from './jwt.service';

const CACHE_TTL_MS = 30_000;

// Authentication only: a verified token whose agency is in its province's registry becomes an Actor.
export class ActorResolver {
  private readonly agencyCache = new Map<string, { id: string | null; expires: number }>();

  constructor(
    private readonly jwt: JwtService,
    private readonly agencies: AgencyRepository,
  ) {}

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
    this.agencyCache.set(key, { id: agency?.id ?? null, expires: Date.now() + CACHE_TTL_MS });
    return agency?.id ?? null;
  }
}
