import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/**', 'data/**', 'designer/dist/**', 'designer/dist-widget/**', 'artifacts/**', 'server/db/migrations/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-eval': 'error',
      'no-new-func': 'error',
    },
  },
  // The web app and the server share code only through contracts/ (and the flow language, flows/):
  // neither imports the other, and contracts/ imports neither.
  {
    files: ['designer/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/server/**'], message: 'designer/ must not import server/: share the type through contracts/.' }] }],
    },
  },
  {
    files: ['server/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/designer/**'], message: 'server/ must not import designer/: share the type through contracts/; building the web app is designer/build.ts\'s job.' }] }],
    },
  },
  {
    files: ['contracts/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/server/**', '**/designer/**'], message: 'contracts/ is shared by server/ and designer/: it imports neither.' }] }],
    },
  },
);
