module.exports = { ...require('../../jest.preset.cjs'), displayName: 'sip-relay' };
