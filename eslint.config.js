// One linter for the whole repo: typescript-eslint's recommended rules, type-only imports kept
// apart, and imports checked against each package's own dependencies (npm hoisting hides gaps).
import js from '@eslint/js';
import n from 'eslint-plugin-n';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '.venv/**', '**/.model/**', 'runs/**', 'packages/backend-mlx/types/**', '**/*.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  { languageOptions: { globals: { ...globals.node } } },
  {
    files: ['**/*.ts'],
    plugins: { n },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'n/no-extraneous-import': 'error',
    },
  },
  {
    files: ['**/*.test.ts', 'test/**', 'scripts/**', '**/bench/**', 'vitest.config.ts'],
    rules: { 'n/no-extraneous-import': 'off' },
  },
);
