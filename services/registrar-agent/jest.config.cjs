module.exports = { ...require('../../jest.preset.cjs'), displayName: 'registrar-agent' };
