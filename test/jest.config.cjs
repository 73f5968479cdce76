module.exports = { ...require('../jest.preset.cjs'), displayName: 'e2e', testTimeout: 120000 };
