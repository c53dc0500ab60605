// The long reliability tests (`npm run test:chaos`, CONTRACT.md): crash, outage, hostile input.
// Fixed seeds, bounded time; each file starts what it needs (its own PostgreSQL where it stops one).
const base = require('./jest.config.js');
const { projects, ...rest } = base;
const shared = projects[0];

module.exports = {
  ...rest,
  testTimeout: 300000,
  projects: [{ ...shared, displayName: 'chaos', testMatch: ['<rootDir>/test/chaos/**/*.chaos-spec.ts'] }],
};
