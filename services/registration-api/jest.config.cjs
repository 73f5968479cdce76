module.exports = { ...require('../../jest.preset.cjs'), displayName: 'registration-api' };
