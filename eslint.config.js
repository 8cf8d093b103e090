// ESLint over the TypeScript sources, with typescript-eslint's type-checked rules: the checks that
// need types (floating promises, unsafe any, needless conditions) are the ones that catch real bugs
// in a tool that shells out to git and parses hostile input. `npm run lint`; `npm test` runs it.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['vitest.config.ts', 'dist/**', 'node_modules/**', 'fixtures/**', 'rules/**/fixtures/**', '.cache/**', 'coverage/**', '**/*.js', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // A `catch {}` must say why the failure is not one: an empty block needs a comment.
      'no-empty': ['error', { allowEmptyCatch: false }],
      // `m[1]!` after a successful match is the idiom noUncheckedIndexedAccess asks for; any other
      // `x!` is a claim the types should make instead (a narrower type, a guard, a default).
      'no-restricted-syntax': ['error', {
        selector: "TSNonNullExpression:not([expression.type='MemberExpression'][expression.computed=true])",
        message: 'Say it with a type or a check: a non-null assertion is allowed only on an index access.',
      }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // `import('x').T` in a type position is how a lazily loaded module's types are named.
      '@typescript-eslint/consistent-type-imports': ['error', { disallowTypeAnnotations: false }],
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      // Matching control characters is the point where hostile text is escaped for a terminal,
      // an annotation or a mail (report/text.ts, action/env.ts, patch/mojibake.ts).
      'no-control-regex': 'off',
    },
  },
  {
    // Tests poke at parsed JSON and mocks; `any` there is the test's business, not the product's.
    files: ['test/**/*.ts', 'rules/**/*.test.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      'no-restricted-syntax': 'off',
    },
  },
);
