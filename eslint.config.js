// Lint rules for every package. Services import libraries, never another service;
// a package's public surface is named, never re-exported wholesale.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const services = [
  'router',
  'registrar-agent',
  'push-notifier',
  'registration-api',
  'state-persister',
];

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/coverage/**', '**/*.cjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportAllDeclaration', message: 'Name the public surface: no export *.' },
        { selector: 'TSEnumDeclaration', message: 'Use an as-const object and a union type.' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['services/**/*.ts', 'libs/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: services
                .map((s) => `@sipwake/${s}`)
                .concat(services.map((s) => `@sipwake/${s}/*`)),
              message: 'A service or library never imports a service.',
            },
            { group: ['**/services/**'], message: 'A service or library never imports a service.' },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.test.ts', '**/test-support/**/*.ts', '**/bench/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
