// The browser test of the supervisor's console (`npm run test:browser`, README "Supervisor's console"):
// a real API server, a real PostgreSQL and Debian's chromium driven by playwright-core. Not part of
// `npm test`: a fresh machine may have no chromium (.ci/run installs it before running this).
const base = require('./jest.config.js');
const { projects, ...rest } = base;
const shared = projects[0];

module.exports = {
  ...rest,
  testTimeout: 120000,
  projects: [{ ...shared, displayName: 'browser', testMatch: ['<rootDir>/test/browser/**/*.browser-spec.ts'] }],
};
