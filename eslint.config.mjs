import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const FRAMEWORK = ['@nestjs/*', 'typeorm', 'pg', 'fastify', 'mercurius', 'dataloader', 'jose'];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '.data/**', '*.js', '*.mjs', '*.cjs', 'scripts/*.cjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': ['error', { selector: 'ExportDefaultDeclaration', message: 'Named exports only' }],
    },
  },
  {
    // Pure libraries: no framework, database or clock (ARCHITECTURE.md "Boundaries").
    files: ['libs/*/src/**/*.ts'],
    ignores: ['libs/*/src/**/*.spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: FRAMEWORK, message: 'libs/* stay framework-free' },
            { group: ['**/apps/**'], message: 'libs never import apps' },
          ],
        },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportDefaultDeclaration', message: 'Named exports only' },
        { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: 'Time comes in with the event' },
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'Time comes in with the event' },
      ],
    },
  },
  {
    // jest's globalSetup/globalTeardown and the typeorm CLI need a default export
    files: ['apps/api/src/database/cli-data-source.ts', 'test/support/global-*.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
);
