// Shared jest settings: TypeScript through swc, workspace packages resolved to their sources
// so a test never depends on a stale dist/.
const path = require('node:path');

// Some of fastify's dependencies ship ES modules only (cookie for inject(), content-disposition
// for @fastify/static behind @fastify/swagger-ui). Node 20.19+ requires them natively; jest's
// CommonJS runtime gets them through swc like the sources. Every package that loads the
// registration API (its own tests, the sipwake command, the end-to-end suites) needs this.
const esmOnly = ['content-disposition', 'cookie'];

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
    [`/node_modules/(${esmOnly.join('|')})/.+\\.js$`]: [
      '@swc/jest',
      { jsc: { target: 'es2022' }, module: { type: 'commonjs' } },
    ],
    // Embedded PostgreSQL: see jest.pglite-transform.cjs.
    '/node_modules/@electric-sql/pglite/dist/.+\\.cjs$': path.join(
      __dirname,
      'jest.pglite-transform.cjs',
    ),
  },
  transformIgnorePatterns: [
    `/node_modules/(?!@electric-sql/pglite/|${esmOnly.map((name) => `${name}/`).join('|')})`,
  ],
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
