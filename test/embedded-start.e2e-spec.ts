import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signToken } from '../apps/api/src/auth/jwt.service';
import { gql, startApiServer, type ApiServer } from './support/api-server';

const README = join(__dirname, '..', 'README.md');

function readmeExamples(): { as: { province: string; agency: string; role: string }; query: string }[] {
  const readme = readFileSync(README, 'utf8');
  return [...readme.matchAll(/<!-- as: (\S+) (\S+) -->\n```graphql\n([\s\S]*?)```/g)].map(([, agency, role, query]) => ({
    as: { province: agency === '*' ? '*' : 'thai-binh', agency, role },
    query,
  }));
}

// `npm start` on a fresh machine: no DATABASE_URL, no secret. The embedded PostgreSQL keeps its
// data in DATA_DIR/pg, so a second start finds the first one's sample plan.
describe('embedded start', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'action-plans-embedded-'));
  const embeddedEnv = { DATABASE_URL: '', AUTH_JWT_SECRET: '', DATA_DIR: dataDir };
  let server: ApiServer | null = null;

  afterEach(async () => server?.stop());
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  async function samplePlans(s: ApiServer) {
    const secret = readFileSync(join(dataDir, 'jwt-secret'), 'utf8').trim();
    const auth = await signToken({ sub: 'viewer', province: 'thai-binh', agency: 'so-ke-hoach-va-dau-tu', roles: ['SUPERVISOR'] }, secret);
    const result = await gql(s, auth, '{ plans { id number tasks(first: 5) { totalCount } } }');
    expect(result.errors).toBeUndefined();
    return result.data!.plans as { id: string; number: string; tasks: { totalCount: number } }[];
  }

  it('does load the sample plan on first start and find the same data on the second', async () => {
    server = await startApiServer(embeddedEnv);
    const first = await samplePlans(server);
    expect(first).toHaveLength(1);
    expect(first[0].tasks.totalCount).toBeGreaterThanOrEqual(5);
    await server.stop();

    server = await startApiServer(embeddedEnv);
    const second = await samplePlans(server);
    expect(second.map((p) => p.id)).toEqual(first.map((p) => p.id));
  });

  it('does run the README examples as written against the sample plan', async () => {
    server = await startApiServer(embeddedEnv);
    const secret = readFileSync(join(dataDir, 'jwt-secret'), 'utf8').trim();
    const [plan] = await samplePlans(server);
    const examples = readmeExamples();
    expect(examples.length).toBeGreaterThanOrEqual(8);
    const officer = await signToken({ sub: 'o', province: 'thai-binh', agency: 'so-tu-phap', roles: ['OFFICER'] }, secret);
    const tasks = await gql(server, officer, '{ tasks(first: 20) { edges { node { id ordinal section } } } }');
    const taskId = (tasks.data!.tasks.edges as { node: { id: string; ordinal: string; section: string } }[]).find(
      (e) => e.node.ordinal === '2' && e.node.section.startsWith('I.'),
    )!.node.id;
    for (const example of examples) {
      const [province, agency] = example.as.province === '*' ? ['*', 'kiem-toan'] : ['thai-binh', example.as.agency];
      const auth = await signToken(
        { sub: `readme-${agency}-${example.as.role}`, province, agency, roles: [example.as.role as never] },
        secret,
      );
      const variables = Object.fromEntries(
        [...example.query.matchAll(/\$(\w+): ID!/g)].map(([, name]) => [name, name === 'planId' ? plan.id : taskId]),
      );
      const result = await gql(server, auth, example.query, variables);
      expect({ example: example.query.split('\n')[0], errors: result.errors }).toEqual({
        example: example.query.split('\n')[0],
        errors: undefined,
      });
    }
  });
});
