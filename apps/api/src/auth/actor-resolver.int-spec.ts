import { SignJWT } from 'jose';
import type { DataSource } from 'typeorm';
import type { Role } from '@app/approval-rules';
import { DomainError } from '../common/domain-error';
import { AGENCY_CODES, expectDomainError, openDataSource, seedPlan, uniqueProvince, type SeededPlan } from '../test-support/int-helpers';
import { ActorResolver } from './actor-resolver.service';
import { JwtService, signToken, type TokenClaims } from './jwt.service';
import { createRepositories } from '../repositories/repositories';

const SECRET = 'int-test-secret-that-is-long-enough-for-hs256';

describe(ActorResolver.name, () => {
  let ds: DataSource;
  let resolver: ActorResolver;
  let seeded: SeededPlan;

  beforeAll(async () => {
    ds = await openDataSource();
    seeded = await seedPlan(ds, uniqueProvince('int-auth'), []);
    resolver = new ActorResolver(
      new JwtService({ secret: SECRET, jwksUrl: null, issuer: null, audience: null }),
      createRepositories(ds).agencies,
    );
  });

  afterAll(async () => {
    await ds?.destroy();
  });

  const claims = (overrides: Partial<TokenClaims> = {}): TokenClaims => ({
    sub: 'user-1',
    province: seeded.province.code,
    agency: AGENCY_CODES.justice,
    roles: ['OFFICER'],
    ...overrides,
  });

  const bearer = async (overrides: Partial<TokenClaims> = {}, secret = SECRET) => `Bearer ${await signToken(claims(overrides), secret)}`;

  // Any payload, signed with the test secret; for claims signToken cannot produce.
  const raw = (payload: Record<string, unknown>, build: (jwt: SignJWT) => SignJWT = (jwt) => jwt.setExpirationTime('1h')) =>
    build(new SignJWT(payload).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setIssuedAt()).sign(new TextEncoder().encode(SECRET));

  describe('accepted tokens', () => {
    it('resolves an OFFICER token to an actor with the agency id of the registry', async () => {
      const actor = await resolver.fromAuthorization(await bearer());
      expect(actor).toEqual({
        kind: 'user',
        userId: 'user-1',
        provinceCode: seeded.province.code,
        agencyCode: AGENCY_CODES.justice,
        agencyId: seeded.agencies.justice,
        roles: ['OFFICER'],
      });
    });

    it("resolves a LEADER token of the People's Committee and a SUPERVISOR of the monitoring agency", async () => {
      const leader = await resolver.fromAuthorization(await bearer({ agency: AGENCY_CODES.committee, roles: ['LEADER'] }));
      expect(leader).toMatchObject({ agencyId: seeded.agencies.committee, roles: ['LEADER'] });
      const supervisor = await resolver.fromAuthorization(
        await bearer({ agency: AGENCY_CODES.monitoring, roles: ['SUPERVISOR', 'OFFICER'] }),
      );
      expect(supervisor).toMatchObject({ agencyId: seeded.agencies.monitoring, roles: ['SUPERVISOR', 'OFFICER'] });
    });

    it('accepts an ADMIN token with an agency outside the registry, with agencyId null', async () => {
      const actor = await resolver.fromAuthorization(await bearer({ agency: 'bo-ke-hoach-va-dau-tu', roles: ['ADMIN'] }));
      expect(actor).toMatchObject({
        provinceCode: seeded.province.code,
        agencyCode: 'bo-ke-hoach-va-dau-tu',
        agencyId: null,
        roles: ['ADMIN'],
      });
    });

    it('accepts an AUDITOR token with an agency outside the registry, with agencyId null', async () => {
      const actor = await resolver.fromAuthorization(await bearer({ agency: 'kiem-toan-nha-nuoc', roles: ['AUDITOR'] }));
      expect(actor).toMatchObject({ agencyId: null, roles: ['AUDITOR'] });
    });

    it('resolves the agency id of an ADMIN token whose agency is in the registry', async () => {
      const actor = await resolver.fromAuthorization(await bearer({ agency: AGENCY_CODES.committee, roles: ['ADMIN'] }));
      expect(actor.agencyId).toBe(seeded.agencies.committee);
    });

    it('accepts national ("*") ADMIN and AUDITOR tokens with agencyId null', async () => {
      for (const role of ['ADMIN', 'AUDITOR'] as Role[]) {
        const actor = await resolver.fromAuthorization(await bearer({ province: '*', agency: 'bo-noi-vu', roles: [role] }));
        expect(actor).toMatchObject({ provinceCode: '*', agencyId: null, roles: [role] });
      }
    });

    it('accepts the scheme in any case and surrounding whitespace when the header is otherwise well formed', async () => {
      const token = await signToken(claims(), SECRET);
      expect((await resolver.fromAuthorization(`bearer ${token}`)).userId).toBe('user-1');
      expect((await resolver.fromAuthorization(`  BEARER   ${token}  `)).userId).toBe('user-1');
    });
  });

  describe('refused tokens', () => {
    async function expectUnauthenticated(header: string | null | undefined): Promise<DomainError> {
      return expectDomainError(resolver.fromAuthorization(header), 'UNAUTHENTICATED');
    }

    it('refuses with UNAUTHENTICATED when the agency is not in the province registry', async () => {
      const error = await expectUnauthenticated(await bearer({ agency: 'so-khong-ton-tai' }));
      expect(error.message).toContain('so-khong-ton-tai');
    });

    it('refuses with UNAUTHENTICATED when the agency exists only in another province', async () => {
      const other = await seedPlan(ds, uniqueProvince('int-auth-other'), [], {
        agencies: [{ code: 'so-rieng', name: 'Sở riêng' }],
        monitoringAgencyCode: null,
      });
      expect((await resolver.fromAuthorization(await bearer({ province: other.province.code, agency: 'so-rieng' }))).provinceCode).toBe(
        other.province.code,
      );
      await expectUnauthenticated(await bearer({ agency: 'so-rieng' }));
    });

    it('refuses with UNAUTHENTICATED when the province is not known', async () => {
      await expectUnauthenticated(await bearer({ province: 'tinh-khong-co' }));
    });

    it.each<Role[]>([['OFFICER'], ['SUPERVISOR'], ['LEADER']])(
      'refuses with UNAUTHENTICATED when a token with role %s has province "*"',
      async (role) => {
        await expectUnauthenticated(await bearer({ province: '*', agency: AGENCY_CODES.justice, roles: [role] }));
      },
    );

    it('refuses with UNAUTHENTICATED when a staff role rides on an ADMIN token with an unregistered agency', async () => {
      await expectUnauthenticated(await bearer({ agency: 'so-khong-ton-tai', roles: ['LEADER', 'ADMIN'] }));
    });

    it('refuses with UNAUTHENTICATED when the token has no expiry', async () => {
      const endless = await raw(
        { province: seeded.province.code, agency: AGENCY_CODES.justice, roles: ['OFFICER'], sub: 'user-1' },
        (jwt) => jwt,
      );
      const error = await expectUnauthenticated(`Bearer ${endless}`);
      expect(error.message).toMatch(/exp/);
    });

    it('refuses with UNAUTHENTICATED when the token has expired', async () => {
      const expired = await raw(
        { province: seeded.province.code, agency: AGENCY_CODES.justice, roles: ['OFFICER'], sub: 'user-1' },
        (jwt) => jwt.setExpirationTime(Math.floor(Date.now() / 1000) - 60),
      );
      const error = await expectUnauthenticated(`Bearer ${expired}`);
      expect(error.message).toMatch(/exp/);
    });

    it('refuses with UNAUTHENTICATED when the token is not yet valid', async () => {
      const future = await raw({ province: seeded.province.code, agency: AGENCY_CODES.justice, roles: ['OFFICER'], sub: 'user-1' }, (jwt) =>
        jwt.setNotBefore(Math.floor(Date.now() / 1000) + 3600).setExpirationTime('2h'),
      );
      await expectUnauthenticated(`Bearer ${future}`);
    });

    it('refuses with UNAUTHENTICATED when the token is signed with another secret', async () => {
      await expectUnauthenticated(await bearer({}, 'another-secret-another-secret-another-secret'));
    });

    it('refuses with UNAUTHENTICATED when the token is signed with another algorithm', async () => {
      const hs512 = await new SignJWT({ province: seeded.province.code, agency: AGENCY_CODES.justice, roles: ['OFFICER'] })
        .setProtectedHeader({ alg: 'HS512' })
        .setSubject('user-1')
        .setExpirationTime('1h')
        .sign(new TextEncoder().encode(SECRET));
      await expectUnauthenticated(`Bearer ${hs512}`);
    });

    it('refuses with UNAUTHENTICATED when the token is unsigned (alg none)', async () => {
      const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
      const body = Buffer.from(
        JSON.stringify({ sub: 'u', province: seeded.province.code, agency: AGENCY_CODES.justice, roles: ['ADMIN'] }),
      ).toString('base64url');
      await expectUnauthenticated(`Bearer ${header}.${body}.`);
    });

    it('refuses with UNAUTHENTICATED when the signature was tampered with', async () => {
      const token = await signToken(claims(), SECRET);
      const [h, , s] = token.split('.');
      const body = Buffer.from(
        JSON.stringify({ sub: 'user-1', province: seeded.province.code, agency: AGENCY_CODES.justice, roles: ['ADMIN'], exp: 4102444800 }),
      ).toString('base64url');
      await expectUnauthenticated(`Bearer ${h}.${body}.${s}`);
    });

    it.each<[string, Record<string, unknown>]>([
      ['has no roles claim', { sub: 'u', province: 'p', agency: 'a' }],
      ['has an empty roles array', { sub: 'u', province: 'p', agency: 'a', roles: [] }],
      ['has a role of unknown value', { sub: 'u', province: 'p', agency: 'a', roles: ['OFFICER', 'GOD'] }],
      ['has roles as a string', { sub: 'u', province: 'p', agency: 'a', roles: 'ADMIN' }],
      ['has a lower-case role', { sub: 'u', province: 'p', agency: 'a', roles: ['admin'] }],
      ['has no sub claim', { province: 'p', agency: 'a', roles: ['OFFICER'] }],
      ['has no province claim', { sub: 'u', agency: 'a', roles: ['OFFICER'] }],
      ['has no agency claim', { sub: 'u', province: 'p', roles: ['OFFICER'] }],
    ])('refuses with UNAUTHENTICATED when the token %s', async (_name, payload) => {
      const resolved = { ...payload };
      if (resolved.province === 'p') resolved.province = seeded.province.code;
      if (resolved.agency === 'a') resolved.agency = AGENCY_CODES.justice;
      await expectUnauthenticated(`Bearer ${await raw(resolved)}`);
    });

    it.each<[string, string | null | undefined]>([
      ['is missing', undefined],
      ['is null', null],
      ['is empty', ''],
      ['uses the Basic scheme', 'Basic xxx'],
      ['is Bearer without a token', 'Bearer '],
      ['has two tokens', 'Bearer a.b.c d.e.f'],
      ['is a bare token', 'eyJhbGciOiJIUzI1NiJ9.e30.x'],
      ['holds garbage', 'Bearer not-a-jwt'],
    ])('refuses with UNAUTHENTICATED when the Authorization header %s', async (_name, header) => {
      await expectUnauthenticated(header);
    });
  });
  describe('agency cache', () => {
    it('stays bounded however many distinct (province, agency) pairs signed tokens name', async () => {
      const small = new ActorResolver(
        new JwtService({ secret: SECRET, jwksUrl: null, issuer: null, audience: null }),
        createRepositories(ds).agencies,
        {
          maxCachedAgencies: 5,
        },
      );
      // AUDITOR tokens may name an agency outside the registry: each one is a new cache key
      for (let i = 0; i < 40; i++) await small.fromAuthorization(await bearer({ agency: `unknown-${i}`, roles: ['AUDITOR'] }));
      expect(small.cachedAgencies).toBeLessThanOrEqual(5);
      // and the cache still answers correctly for a known agency after the churn
      const actor = await small.fromAuthorization(await bearer());
      expect(actor.agencyId).toBe(seeded.agencies.justice);
    });
  });
});
