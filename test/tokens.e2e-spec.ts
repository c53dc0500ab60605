import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT, exportJWK, generateKeyPair, type JWTPayload, type KeyLike } from 'jose';
import { MAIN_JS, TEST_JWT_SECRET, gql, startApiServer, token, type ApiServer } from './support/api-server';
import { expectError } from './support/e2e-helpers';
import { seedPlan, testPlan } from './support/fixtures';

// Tokens and transport (OWASP API2, broken authentication): every token that is not exactly right
// is UNAUTHENTICATED, with a message and never a 500; a JWKS must be https with issuer and
// audience; a weak secret stops the start; no token or secret is ever written to the output.
const PROVINCE = 'thai-binh';
const AGENCY = 'so-tu-phap';
const QUERY = '{ me { roles } }';
const sent: string[] = [];

beforeAll(async () => {
  // the registry of the province holds the agency of the tokens below
  await seedPlan(testPlan({ code: PROVINCE, name: 'Thái Bình' }, [{ leadAgencyCode: AGENCY, coordinatingAgencyCodes: [] }]));
});

function hs256(payload: JWTPayload, options: { secret?: string; exp?: number | null; nbf?: number } = {}): Promise<string> {
  const jwt = new SignJWT(payload).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setIssuedAt();
  if (options.exp !== null) jwt.setExpirationTime(options.exp ?? Math.floor(Date.now() / 1000) + 3600);
  if (options.nbf !== undefined) jwt.setNotBefore(options.nbf);
  return jwt.sign(new TextEncoder().encode(options.secret ?? TEST_JWT_SECRET));
}

const valid = (overrides: Record<string, unknown> = {}): JWTPayload => ({
  sub: 'user-1',
  province: PROVINCE,
  agency: AGENCY,
  roles: ['OFFICER'],
  ...overrides,
});

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);

async function ask(server: ApiServer, jwt: string) {
  sent.push(jwt);
  return gql(server, jwt, QUERY);
}

// Starts main.js with env and waits for it to exit; resolves with its code and output.
function startExpectingExit(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MAIN_JS], {
      env: { PATH: process.env.PATH ?? '', DATABASE_URL: process.env.TEST_DATABASE_URL!, PORT: '0', HOST: '127.0.0.1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c) => (output += c));
    child.stderr.on('data', (c) => (output += c));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the service started although it should have refused:\n${output}`));
    }, 20_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describe('tokens signed with the shared secret', () => {
  let server: ApiServer;

  beforeAll(async () => {
    server = await startApiServer({ LOG_LEVEL: 'verbose' });
  });

  afterAll(async () => server?.stop());

  it('does accept a valid token', async () => {
    const result = await ask(server, await hs256(valid()));
    expect(result.errors).toBeUndefined();
    expect(result.data?.me.roles).toEqual(['OFFICER']);
  });

  const refused: [string, () => Promise<string>][] = [
    ['an expired token', () => hs256(valid(), { exp: now() - 120 })],
    ['a token not valid yet (nbf in an hour)', () => hs256(valid(), { nbf: now() + 3600 })],
    ['a token without exp', () => hs256(valid(), { exp: null })],
    ['a token signed with another secret', () => hs256(valid(), { secret: 'another-secret-that-is-long-enough-32b' })],
    ['an unsigned token (alg none)', async () => `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ ...valid(), exp: now() + 3600 })}.`],
    [
      'a token whose header says HS512',
      () =>
        new SignJWT(valid()).setProtectedHeader({ alg: 'HS512' }).setExpirationTime('1h').sign(new TextEncoder().encode(TEST_JWT_SECRET)),
    ],
    ['a token without sub', () => hs256(valid({ sub: undefined }))],
    ['a token with an empty sub', () => hs256(valid({ sub: '' }))],
    ['a token without province', () => hs256(valid({ province: undefined }))],
    ['a token with roles as a string', () => hs256(valid({ roles: 'OFFICER' }))],
    ['a token with an unknown role', () => hs256(valid({ roles: ['ROOT'] }))],
    ['a token with no roles', () => hs256(valid({ roles: [] }))],
    ['a token with a numeric agency', () => hs256(valid({ agency: 42 }))],
    ['a token with a NUL byte in the agency', () => hs256(valid({ agency: 'so-tu-phap\u0000' }))],
    ['a token with a NUL byte in the province', () => hs256(valid({ province: 'thai-binh\u0000x' }))],
    ['a token with a NUL byte in sub', () => hs256(valid({ sub: 'user\u0000admin' }))],
    ['a token with control characters in sub', () => hs256(valid({ sub: 'user\u001b[2J' }))],
    ['a token with a 10,000-character sub', () => hs256(valid({ sub: 'x'.repeat(10_000) }))],
    ['a token with an agency not in the registry', () => hs256(valid({ agency: 'so-khong-co' }))],
    ['a token with province "*" and the OFFICER role', () => hs256(valid({ province: '*' }))],
    [
      'a token whose payload is not JSON',
      async () => `${b64({ alg: 'HS256', typ: 'JWT' })}.${Buffer.from('not json').toString('base64url')}.c2ln`,
    ],
    ['a truncated token', async () => (await hs256(valid())).slice(0, 40)],
  ];

  it.each(refused)('does answer UNAUTHENTICATED to %s', async (_name, make) => {
    const result = await ask(server, await make());
    expectError(result, 'UNAUTHENTICATED');
    expect(result.status).toBe(401);
    expect(result.errors![0].message.length).toBeGreaterThan(10);
  });

  it('does answer UNAUTHENTICATED to an Authorization header that is not Bearer', async () => {
    const response = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from('a:b').toString('base64')}` },
      body: JSON.stringify({ query: QUERY }),
    });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
  });

  it('does write no token and no secret to its output, and sends no secret back', async () => {
    const result = await ask(server, await hs256(valid({ roles: ['NOPE'] })));
    expect(JSON.stringify(result)).not.toContain(TEST_JWT_SECRET);
    const output = server.output();
    expect(output.length).toBeGreaterThan(0);
    expect(output).not.toContain(TEST_JWT_SECRET);
    for (const jwt of sent) expect(output).not.toContain(jwt.split('.')[2] || jwt);
  });
});

describe('start-up refuses weak authentication settings', () => {
  it('does refuse a secret shorter than 32 bytes, naming the variable', async () => {
    const { code, output } = await startExpectingExit({ AUTH_JWT_SECRET: 'short-secret' });
    expect(code).not.toBe(0);
    expect(output).toMatch(/AUTH_JWT_SECRET.*32/);
    expect(output).not.toContain('short-secret');
  });

  it('does refuse a JWKS URL over http', async () => {
    const { code, output } = await startExpectingExit({
      AUTH_JWKS_URL: 'http://127.0.0.1:9/jwks.json',
      AUTH_JWT_ISSUER: 'https://id.example.vn',
      AUTH_JWT_AUDIENCE: 'action-plans',
    });
    expect(code).not.toBe(0);
    expect(output).toMatch(/AUTH_JWKS_URL must be an https: URL/);
  });

  it.each([
    ['AUTH_JWT_ISSUER', { AUTH_JWT_AUDIENCE: 'action-plans' }],
    ['AUTH_JWT_AUDIENCE', { AUTH_JWT_ISSUER: 'https://id.example.vn' }],
  ])('does refuse a JWKS without %s', async (missing, env) => {
    const { code, output } = await startExpectingExit({ AUTH_JWKS_URL: 'https://127.0.0.1:9/jwks.json', ...env });
    expect(code).not.toBe(0);
    expect(output).toContain(missing);
  });
});

describe("tokens verified against an OIDC issuer's JWKS over https", () => {
  const ISSUER = 'https://id.example.vn';
  const AUDIENCE = 'action-plans';
  let jwks: Server;
  let server: ApiServer;
  let privateKey: KeyLike;
  let otherKey: KeyLike;

  const rs256 = (payload: JWTPayload, claims: { iss?: string; aud?: string; key?: KeyLike } = {}) =>
    new SignJWT(payload)
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setIssuer(claims.iss ?? ISSUER)
      .setAudience(claims.aud ?? AUDIENCE)
      .setExpirationTime('1h')
      .sign(claims.key ?? privateKey);

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jwks-'));
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    const pair = await generateKeyPair('RS256');
    privateKey = pair.privateKey;
    otherKey = (await generateKeyPair('RS256')).privateKey;
    const body = JSON.stringify({ keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' }] });
    jwks = createServer({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) }, (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(body);
    });
    await new Promise<void>((done) => jwks.listen(0, '127.0.0.1', done));
    const port = (jwks.address() as AddressInfo).port;
    server = await startApiServer({
      AUTH_JWT_SECRET: '',
      AUTH_JWKS_URL: `https://127.0.0.1:${port}/jwks.json`,
      AUTH_JWT_ISSUER: ISSUER,
      AUTH_JWT_AUDIENCE: AUDIENCE,
      NODE_EXTRA_CA_CERTS: join(dir, 'cert.pem'),
    });
  });

  afterAll(async () => {
    await server?.stop();
    jwks?.close();
  });

  it('does accept a token signed by the issuer for this audience', async () => {
    const result = await ask(server, await rs256(valid()));
    expect(result.errors).toBeUndefined();
    expect(result.data?.me.roles).toEqual(['OFFICER']);
  });

  it.each<[string, () => Promise<string>]>([
    ['another issuer', () => rs256(valid(), { iss: 'https://evil.example' })],
    ['another audience', () => rs256(valid(), { aud: 'someone-else' })],
    ['a key not in the JWKS', () => rs256(valid(), { key: otherKey })],
    ['an HS256 token made with the shared test secret', () => hs256(valid())],
    [
      'an unsigned token (alg none)',
      async () => `${b64({ alg: 'none' })}.${b64({ ...valid(), iss: ISSUER, aud: AUDIENCE, exp: now() + 60 })}.`,
    ],
  ])('does answer UNAUTHENTICATED to a token from %s', async (_name, make) => {
    expectError(await ask(server, await make()), 'UNAUTHENTICATED');
  });

  it('does also answer UNAUTHENTICATED with tokens from the unit test helper signed with the secret', async () => {
    expectError(await ask(server, await token(PROVINCE, AGENCY, ['OFFICER'])), 'UNAUTHENTICATED');
  });
});
