// Lint is part of `npm test`: floating promises are errors (STYLE.md).
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'data/', 'bench/out/', 'test/browser/screenshots/', '**/*.js', '**/*.mjs'] },
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: {
      // node:test's describe/it return promises the runner itself awaits.
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            {
              from: 'package',
              package: 'node:test',
              name: ['describe', 'it', 'test', 'suite', 'before', 'after', 'beforeEach', 'afterEach'],
            },
          ],
        },
      ],
      '@typescript-eslint/no-misused-promises': [
        'error',
        { checksVoidReturn: { arguments: false, attributes: false } },
      ],
      '@typescript-eslint/await-thenable': 'error',
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'nact', message: 'Only src/actors/runtime.ts imports nact.' }] },
      ],
    },
  },
  { files: ['src/actors/runtime.ts'], rules: { 'no-restricted-imports': 'off' } },
  // Doors only translate (issue #14): the application layer (src/app/) owns the work, so no
  // module under src/http/ reaches past it to the actors, the read model or the PDF library.
  {
    files: ['src/http/**/*.ts', 'src/http/**/*.tsx'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'nact', message: 'Only src/actors/runtime.ts imports nact.' },
            { name: 'pdf-lib', message: 'Doors do not handle PDFs: use src/pdf/ through the application layer.' },
          ],
          patterns: [
            {
              group: ['**/actors/**', '**/actors'],
              message: 'Doors do not hold the actors: call a service of src/app/.',
            },
            {
              group: ['**/storage/ports.js'],
              importNames: ['ReadModel'],
              message: 'Doors do not read the read model: call a service of src/app/.',
            },
            { group: ['pdf-lib/**'], message: 'Doors do not handle PDFs: use src/pdf/ through the application layer.' },
          ],
        },
      ],
    },
  },
);
