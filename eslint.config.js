// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/generated/**', '**/.next/**', '**/dist/**', 'bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.name='eval']", message: 'No JavaScript evaluation of user input, ever.' },
        { selector: "NewExpression[callee.name='Function']", message: 'No JavaScript evaluation of user input, ever.' },
      ],
      'no-restricted-imports': ['error', { patterns: [{ group: ['node:vm', 'vm'], message: 'No JavaScript evaluation of user input.' }] }],
    },
  },
  {
    // Regular expressions built from text at run time may come from users: those run in RE2
    // (@weft/linear-regex), never in the backtracking engine (issue 12). Literals are our own code.
    files: ['services/*/src/**/*.ts', 'packages/*/src/**/*.ts', 'apps/*/src/**/*.{ts,tsx}'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.name='eval']", message: 'No JavaScript evaluation of user input, ever.' },
        { selector: "NewExpression[callee.name='Function']", message: 'No JavaScript evaluation of user input, ever.' },
        { selector: "NewExpression[callee.name='RegExp'], CallExpression[callee.name='RegExp']", message: 'A pattern built at run time may come from a user: compile it with compileLinear from @weft/linear-regex (RE2, linear time).' },
      ],
    },
  },
  {
    files: ['services/*/src/**/*.ts', 'packages/*/src/**/*.ts'],
    ignores: ['**/env.ts', '**/*.test.ts', 'packages/config/**', 'packages/testing/**', 'packages/db/src/test-support.ts'],
    rules: {
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Read settings in the service env.ts (Zod-parsed at boot).' }],
    },
  },
);
