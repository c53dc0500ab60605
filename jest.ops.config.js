// The operations tests (`npm run test:ops`, docs/OPERATIONS.md): a primary with a streaming
// replica, and a backup/restore drill. Each file starts its own PostgreSQL servers from one
// binary set (PG_BIN, else the highest /usr/lib/postgresql/*/bin), so they are not in `npm test`.
const base = require('./jest.config.js');
const { projects, globalSetup, globalTeardown, ...rest } = base;
const shared = projects[0];

module.exports = {
  ...rest,
  testTimeout: 300000,
  projects: [{ ...shared, displayName: 'ops', testMatch: ['<rootDir>/test/ops/**/*.ops-spec.ts'] }],
};
