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
    files: ['services/*/src/**/*.ts', 'packages/*/src/**/*.ts'],
    ignores: ['**/env.ts', '**/*.test.ts', 'packages/config/**', 'packages/testing/**', 'packages/db/src/test-support.ts'],
    rules: {
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Read settings in the service env.ts (Zod-parsed at boot).' }],
    },
  },
);
