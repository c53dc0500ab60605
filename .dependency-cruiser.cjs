// Boundaries (ARCHITECTURE.md), checked by `npm run lint`.
const API = '^apps/api/src';
const FEATURES = `${API}/(agencies|audit|auth|deadlines|plans|reminders|reports|tasks|graphql|health|common|live)/`;
const TESTS = '\\.(spec|int-spec)\\.ts$';

module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
    // folders of the API (features, repositories, graphql, common) depend on each other without cycles
    { name: 'no-circular-folders', scope: 'folder', severity: 'error', from: { path: API }, to: { circular: true } },
    { name: 'libs-not-to-apps', severity: 'error', from: { path: '^libs/' }, to: { path: '^apps/' } },
    {
      name: 'libs-framework-free',
      severity: 'error',
      from: { path: '^libs/[^/]+/src', pathNot: '\\.spec\\.ts$' },
      to: { path: 'node_modules/(@nestjs|typeorm|pg|fastify|mercurius|dataloader|jose)/' },
    },
    {
      name: 'libs-through-index',
      severity: 'error',
      from: { path: '^apps/' },
      to: { path: '^libs/[^/]+/src/(?!index\\.ts$)' },
    },
    // all SQL lives in repositories/ and database/: nothing else reaches TypeORM, pg or the entities
    {
      name: 'sql-only-in-repositories',
      severity: 'error',
      from: { path: FEATURES, pathNot: TESTS },
      to: { path: ['node_modules/(typeorm|pg)/', `${API}/database/`] },
    },
    {
      name: 'entities-only-in-data-access',
      severity: 'error',
      from: { path: API, pathNot: [`${API}/(database|repositories|test-support)/`, TESTS] },
      to: { path: `${API}/database/entities/` },
    },
    // the data-access layer knows no feature: features call it, never the reverse
    {
      name: 'repositories-know-no-feature',
      severity: 'error',
      from: { path: `${API}/(repositories|database)/` },
      to: { path: `${API}/(agencies|audit|auth|deadlines|plans|reminders|reports|tasks|graphql|health|live)/` },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    exclude: { path: '(^dist/|/test-support/|\\.spec\\.ts$|\\.int-spec\\.ts$)' },
  },
};
