// PGlite's CommonJS build loads Node built-ins with `import("fs")`, which jest's CommonJS
// runtime refuses without --experimental-vm-modules. Under jest only, those literal dynamic
// imports of built-ins become requires; nothing else in the file changes.
const builtins = new Set(require('node:module').builtinModules);

const { createHash } = require('node:crypto');
const self = require('node:fs').readFileSync(__filename);

module.exports = {
  getCacheKey(source, filename) {
    return createHash('sha256').update(self).update(filename).update(source).digest('hex');
  },
  process(source) {
    const code = source.replace(/\bimport\((["'])([^"']+)\1\)/g, (whole, quote, name) => {
      const bare = name.startsWith('node:') ? name.slice(5) : name;
      return builtins.has(bare)
        ? `Promise.resolve(__pgliteRequire(${quote}${name}${quote}))`
        : whole;
    });
    // The module's own `require` (a local `var require` inside the file can shadow the name).
    return { code: `${code}\nvar __pgliteRequire = require;\n` };
  },
};
