const preset = require('../../jest.preset.cjs');

module.exports = {
  ...preset,
  displayName: 'db',
  transform: {
    ...preset.transform,
    '/node_modules/@electric-sql/pglite/dist/.+\\.cjs$': '<rootDir>/jest.pglite-transform.cjs',
  },
  transformIgnorePatterns: ['/node_modules/(?!@electric-sql/pglite/)'],
};
