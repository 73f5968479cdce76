// Some of fastify's dependencies ship ES modules only (cookie for inject(), content-disposition
// for @fastify/static behind @fastify/swagger-ui). Node 20.19+ requires them natively; jest's
// CommonJS runtime gets them through swc like the sources.
const esmOnly = ['content-disposition', 'cookie'];
const preset = require('../../jest.preset.cjs');

module.exports = {
  ...preset,
  displayName: 'registration-api',
  transform: {
    ...preset.transform,
    [`/node_modules/(${esmOnly.join('|')})/.+\\.js$`]: [
      '@swc/jest',
      { jsc: { target: 'es2022' }, module: { type: 'commonjs' } },
    ],
  },
  transformIgnorePatterns: [
    `/node_modules/(?!@electric-sql/pglite/|${esmOnly.map((name) => `${name}/`).join('|')})`,
  ],
};
