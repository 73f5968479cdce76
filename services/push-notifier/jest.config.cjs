module.exports = { ...require('../../jest.preset.cjs'), displayName: 'push-notifier' };
