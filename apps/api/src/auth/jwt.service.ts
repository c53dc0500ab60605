import { createRemoteJWKSet, jwtVerify, SignJWT, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { unauthenticated } from '../common/domain-error';
import type { JwtConfig } from '../config/app-config';
import { isRole } from './actor';
import type { Role } from '@app/approval-rules';

export interface TokenClaims {
  sub: string;
  province: string;
  agency: string;
  roles: Role[];
}

// HS256 with AUTH_JWT_SECRET; setting AUTH_JWKS_URL switches verification to an OIDC issuer's keys.
export class JwtService {
  private readonly key: Uint8Array | JWTVerifyGetKey;

  constructor(private readonly config: JwtConfig & { secret: string | null }) {
    if (config.jwksUrl) this.key = createRemoteJWKSet(new URL(config.jwksUrl));
    else if (config.secret) this.key = new TextEncoder().encode(config.secret);
    else throw new Error('No JWT key: set AUTH_JWT_SECRET (HS256) or AUTH_JWKS_URL (OIDC)');
  }

  async verify(token: string): Promise<TokenClaims> {
    let payload: JWTPayload;
    try {
      const options = { issuer: this.config.issuer ?? undefined, audience: this.config.audience ?? undefined, requiredClaims: ['exp'] };
      payload =
        this.key instanceof Uint8Array
          ? (await jwtVerify(token, this.key, { ...options, algorithms: ['HS256'] })).payload
          : (await jwtVerify(token, this.key, options)).payload;
    } catch (error) {
      throw unauthenticated(`Invalid token: ${(error as Error).message}`);
    }
    return parseClaims(payload);
  }
}

export function parseClaims(payload: JWTPayload): TokenClaims {
  const { sub, province, agency, roles } = payload as Record<string, unknown>;
  if (typeof sub !== 'string' || sub === '') throw unauthenticated('Token has no "sub" claim');
  if (typeof province !== 'string' || province === '') throw unauthenticated('Token has no "province" claim');
  if (typeof agency !== 'string') throw unauthenticated('Token has no "agency" claim');
  if (!Array.isArray(roles) || roles.length === 0 || !roles.every(isRole)) {
    throw unauthenticated('Token "roles" must be a non-empty array of OFFICER, SUPERVISOR, LEADER, AUDITOR, ADMIN');
  }
  return { sub, province, agency, roles: roles as Role[] };
}

export async function signToken(claims: TokenClaims, secret: string, expiresIn = '12h'): Promise<string> {
  return new SignJWT({ province: claims.province, agency: claims.agency, roles: claims.roles })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.sub)
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(new TextEncoder().encode(secret));
}
