// Flat config: type-checked typescript-eslint everywhere, Lit and web-component rules on sdk/.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { configs as litConfigs } from 'eslint-plugin-lit';
import { configs as wcConfigs } from 'eslint-plugin-wc';
import globals from 'globals';

/** What no file under sdk/ may import (sdk/core adds Lit on top). */
const SDK_IMPORT_BANS = [
  { group: ['**/service/**', 'fastify', '@fastify/*', 'kysely', 'pg', '@electric-sql/*', 'livekit-server-sdk'], message: 'The SDK runs in the browser: nothing from the service side.' },
  { group: ['**/protocol/**'], allowTypeImports: true, message: 'The SDK imports the wire contract as types only (zero bytes in the bundle).' },
  { group: ['typebox', 'typebox/*'], message: 'Schemas are validated by the service; the SDK uses their types only.' },
];

export default tseslint.config(
  { ignores: ['dist/', 'dist-service/', 'node_modules/', '.data/', 'coverage/', '.scratch/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node, ...globals.browser },
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-floating-promises': ['error', {
        allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['test', 'it', 'describe', 'suite'] }],
      }],
      // Fastify handlers are async by contract, with or without an await inside.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // Plain JavaScript (configs, the demo page script) is linted without type information.
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    // The React example (examples/react/src) is JSX, linted like the plain JavaScript.
    files: ['examples/**/*.jsx'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { parserOptions: { ...tseslint.configs.disableTypeChecked.languageOptions?.parserOptions, ecmaFeatures: { jsx: true } } },
  },
  {
    files: ['sdk/**/*.ts'],
    ...litConfigs['flat/recommended'],
  },
  {
    files: ['sdk/**/*.ts'],
    ...wcConfigs['flat/recommended'],
  },
  // Layers (docs/architecture.md, "Layout"): the browser SDK takes only types from the wire
  // contract and nothing from the service; its core is framework-free; the domain knows no HTTP.
  {
    files: ['sdk/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        patterns: [
          ...SDK_IMPORT_BANS,
        ],
      }],
    },
  },
  {
    files: ['sdk/core/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        patterns: [
          ...SDK_IMPORT_BANS,
          { group: ['lit', 'lit/*', '@lit/*', '**/components/**', '**/controllers/**'], message: 'sdk/core is framework-free: no Lit, no elements.' },
        ],
      }],
    },
  },
  {
    files: ['service/domain/**/*.ts', 'protocol/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        patterns: [
          { group: ['fastify', '@fastify/*', 'fastify-plugin', '**/routes/**', '**/plugins/**'], message: 'The domain and the wire contract know no HTTP framework.' },
        ],
      }],
    },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
    },
  },
);
