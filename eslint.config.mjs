// ESLint checks what the code does; Prettier (`.prettierrc.json`) decides its layout.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'bench-results/', 'test-artifacts/', 'wp-plugin/', 'test/fixtures/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  { languageOptions: { globals: { ...globals.node } } },
  {
    rules: {
      // A leading underscore says "deliberately unused" (an express error handler's `next`, a dropped field).
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
    },
  },
  // Tests read JSON answers as `any`: a wrong shape fails the assertion that reads it.
  { files: ['test/**', '**/*.test.ts'], rules: { '@typescript-eslint/no-explicit-any': 'off' } },
  // CommonJS configuration read by Jest itself.
  { files: ['**/*.js'], rules: { '@typescript-eslint/no-require-imports': 'off' } },
  // Scripts the tests load into a page in Chromium.
  {
    files: ['test/wordpress/woocommerce-env/banner-support/*.js'],
    languageOptions: { globals: { ...globals.browser } },
  },
);
