/** Jest projects: `unit` (pure, beside the code), `integration` (real SQLite, PostgreSQL, Redis),
 *  `e2e` (real processes). Select one with `npx jest --selectProjects unit`. */
const transform = { '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' } }] };
const base = {
  transform,
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'json'],
  // Sources import with NodeNext `.js` suffixes; jest resolves the `.ts` file.
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
};
module.exports = {
  testTimeout: 60_000,
  projects: [
    {
      ...base,
      displayName: 'unit',
      testMatch: ['<rootDir>/{service,shared,scripts}/**/*.test.ts'],
      testPathIgnorePatterns: ['\\.int\\.test\\.ts$'],
    },
    {
      ...base,
      displayName: 'integration',
      testMatch: ['<rootDir>/{service,shared,scripts}/**/*.int.test.ts'],
      globalSetup: '<rootDir>/test/setup/services.js',
    },
    {
      ...base,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      globalSetup: '<rootDir>/test/setup/services.js',
    },
  ],
};
