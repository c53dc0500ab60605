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
    if (token.length > MAX_TOKEN_LENGTH) throw unauthenticated(`Invalid token: longer than ${MAX_TOKEN_LENGTH} characters`);
    try {
      const options = {
        issuer: this.config.issuer ?? undefined,
        audience: this.config.audience ?? undefined,
        requiredClaims: ['exp'],
        clockTolerance: CLOCK_TOLERANCE_S,
      };
      payload =
        this.key instanceof Uint8Array
          ? (await jwtVerify(token, this.key, { ...options, algorithms: ['HS256'] })).payload
          : (await jwtVerify(token, this.key, { ...options, algorithms: ASYMMETRIC_ALGORITHMS })).payload;
    } catch (error) {
      throw unauthenticated(`Invalid token: ${(error as Error).message}`);
    }
    return parseClaims(payload);
  }
}

const MAX_TOKEN_LENGTH = 8192;
const MAX_CLAIM_LENGTH = 256;
const CLOCK_TOLERANCE_S = 30;
// an issuer's keys are asymmetric: an HS256 token must never be checked against a public key
const ASYMMETRIC_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

function textClaim(payload: Record<string, unknown>, name: string, allowEmpty = false): string {
  const value = payload[name];
  if (typeof value !== 'string' || (!allowEmpty && value === '')) throw unauthenticated(`Token has no "${name}" claim (a string)`);
  if (value.length > MAX_CLAIM_LENGTH) throw unauthenticated(`Token claim "${name}" is longer than ${MAX_CLAIM_LENGTH} characters`);
  if (CONTROL.test(value) || !value.isWellFormed())
    throw unauthenticated(`Token claim "${name}" contains control characters or broken Unicode`);
  return value;
}

export function parseClaims(payload: JWTPayload): TokenClaims {
  const claims = payload as Record<string, unknown>;
  const sub = textClaim(claims, 'sub');
  const province = textClaim(claims, 'province');
  const agency = textClaim(claims, 'agency', true);
  const roles = claims.roles;
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
