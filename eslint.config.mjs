// Lint (run by `npm test`): typescript-eslint's type-aware rules on every package's sources and
// tests, so that `any`, floating promises and promises passed where a callback's result is ignored
// fail CI. Plain JS (bench scripts, configs) is not linted.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['**/node_modules/**', '**/dist/**', '**/.turbo/**', 'fixtures/**', 'runs/**', 'coverage/**', '**/*.d.ts', '**/*.{js,mjs,cjs}'],
  },
  {
    files: ['packages/*/src/**/*.ts', 'packages/*/test/**/*.ts'],
    extends: [js.configs.recommended, ...tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      // An async function without await is how an API-shaped factory says it returns a promise.
      '@typescript-eslint/require-await': 'off',
      // tfjs ops are generic in their result (tf.add<T>): the rule wants ~100 `op(…) as Tensor2D`
      // rewritten as `op<Tensor2D>(…)`, a style change only (the plainly redundant casts are gone).
      '@typescript-eslint/no-unnecessary-type-assertion': 'off',
      // Error messages deliberately show whatever a malformed file holds (String(unknown)).
      '@typescript-eslint/no-base-to-string': 'off',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowArray: true, allowNever: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Tests read the CLI's JSON output and golden JSON through JSON.parse (typed any); typing each
    // of those ~270 reads would add casts, not safety. `no-explicit-any` still holds in tests.
    files: ['packages/*/src/**/*.test.ts', 'packages/*/src/**/*.test-helper.ts', 'packages/*/test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
);
