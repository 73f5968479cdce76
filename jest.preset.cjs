// Shared jest settings: TypeScript through swc, workspace packages resolved to their sources
// so a test never depends on a stale dist/.
const path = require('node:path');

module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
        module: { type: 'commonjs' },
        sourceMaps: 'inline',
      },
    ],
    // Embedded PostgreSQL: see jest.pglite-transform.cjs.
    '/node_modules/@electric-sql/pglite/dist/.+\\.cjs$': path.join(
      __dirname,
      'jest.pglite-transform.cjs',
    ),
  },
  transformIgnorePatterns: ['/node_modules/(?!@electric-sql/pglite/)'],
  moduleNameMapper: {
    '^@sipwake/([^/]+)$': [
      path.join(__dirname, 'libs/$1/src/index.ts'),
      path.join(__dirname, 'services/$1/src/index.ts'),
    ],
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  testMatch: ['<rootDir>/src/**/*.test.ts'],
  testTimeout: 30000,
};
