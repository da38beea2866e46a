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
  {
    // decide (packages/run-core/src/decide) is pure: no database, no queues, no clock, no
    // randomness, no awaiting. Its env gives the time, random numbers and ids; the store adapter
    // (src/transition) reads and writes. Row shapes of @weft/run-store are fine as types only,
    // and the job builders (jobFor) of @weft/queue's catalog are fine.
    files: ['packages/run-core/src/decide/**/*.ts'],
    rules: {
      'no-restricted-imports': 'off',
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'pg', message: 'decide is pure: the store adapter (src/transition) talks to Postgres.' },
            { name: 'ioredis', message: 'decide is pure: no Redis.' },
            { name: '@weft/db', message: 'decide is pure: ids come from env.newId.' },
            { name: '@weft/run-store', allowTypeImports: true, message: 'decide is pure: only the run store\'s row types, never its statements.' },
            { name: '@weft/queue', importNames: ['Queues', 'createWorker', 'createRedis', 'assertNoEviction', 'waitReady'], message: 'decide is pure: jobs are built with jobFor, published by the adapter.' },
          ],
          patterns: [{ group: ['node:*', 'vm', '../transition/*', '../*'], message: 'decide imports only pure packages and its own files.' }],
        },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'decide is pure: the time is env.now.' },
        { object: 'Math', property: 'random', message: 'decide is pure: random numbers come from env.random.' },
        { object: 'process', property: 'env', message: 'decide is pure: settings come in env.' },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.name='eval']", message: 'No JavaScript evaluation of user input, ever.' },
        { selector: "NewExpression[callee.name='Function']", message: 'No JavaScript evaluation of user input, ever.' },
        { selector: "NewExpression[callee.name='RegExp'], CallExpression[callee.name='RegExp']", message: 'A pattern built at run time may come from a user: compile it with compileLinear from @weft/linear-regex (RE2, linear time).' },
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'decide is pure: the time is env.now (new Date(env.now)).' },
        { selector: 'AwaitExpression, :function[async=true]', message: 'decide is synchronous: reads are asked for with a `needs` plan.' },
      ],
    },
  },
);
