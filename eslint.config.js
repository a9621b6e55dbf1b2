// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

/** Raw IPC primitives: only the IPC layer (main/ipc, preload) may touch them. */
const rawIpcSyntax = [
  {
    selector: "MemberExpression[object.name='ipcMain']",
    message: 'Raw ipcMain is only allowed in main/ipc/. Declare a channel in shared/ipc/contract.ts.',
  },
  {
    selector: "MemberExpression[object.name='ipcRenderer']",
    message: 'Raw ipcRenderer is only allowed in preload/.',
  },
  {
    selector: "MemberExpression[object.property.name='webContents'][property.name='send']",
    message: 'webContents.send is only allowed in main/ipc/. Emit a contract event instead.',
  },
  {
    selector: "MemberExpression[property.name='send'][object.name='webContents']",
    message: 'webContents.send is only allowed in main/ipc/. Emit a contract event instead.',
  },
];

/** What renderer/ may not import. */
const rendererImports = {
  paths: [
    { name: 'electron', message: 'The renderer talks to main only through the preload API.' },
    ...nodeBuiltins.map((name) => ({ name, message: 'The renderer has no Node.' })),
  ],
  patterns: [
    {
      group: ['**/main/**', '**/preload/**', '**/simulator/**'],
      message: 'renderer/ never imports main, preload or simulator code.',
    },
  ],
};

export default tseslint.config(
  {
    ignores: [
      'out/**',
      'dist/**',
      'node_modules/**',
      'coverage/**',
      'test-results/**',
      'playwright-report/**',
      'bench/results/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-syntax': ['error', ...rawIpcSyntax],
    },
  },
  // Node-side code.
  {
    files: ['main/**', 'preload/**', 'simulator/**', 'bench/**', 'scripts/**', 'e2e/**', '*.config.{js,ts}'],
    languageOptions: { globals: { ...globals.node } },
  },
  // shared/: plain TypeScript, runs everywhere. No Electron, no Node, no DOM.
  {
    files: ['shared/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'electron', message: 'shared/ runs in every process: no Electron.' },
            ...nodeBuiltins.map((name) => ({ name, message: 'shared/ runs in every process: no Node built-ins.' })),
          ],
          patterns: [
            {
              group: ['**/main/**', '**/renderer/**', '**/preload/**', '**/simulator/**'],
              message: 'shared/ imports nothing from the process folders.',
            },
            {
              group: ['react', 'react-dom', 'ws', 'ky', 'electron-store'],
              message: 'shared/ stays free of runtime-specific libraries.',
            },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        ...[
          'window',
          'document',
          'navigator',
          'localStorage',
          'sessionStorage',
          'location',
          'process',
          'Buffer',
          'require',
          '__dirname',
          '__filename',
          'global',
        ].map((name) => ({
          name,
          message: 'shared/ runs in every process: no DOM or Node globals.',
        })),
      ],
    },
  },
  // renderer/: browser code. Never main, never Electron, never Node.
  {
    files: ['renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': ['error', rendererImports],
    },
  },
  // renderer/src/store/: the state; components import it, never the other way round.
  {
    files: ['renderer/src/store/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          ...rendererImports,
          patterns: [
            ...rendererImports.patterns,
            {
              group: ['**/components/**'],
              message: 'The store imports nothing from components/ (components import the store).',
            },
          ],
        },
      ],
    },
  },
  // main/: Electron only inside the thin shell (main/shell, main/index.ts) and the IPC transport.
  {
    files: ['main/**'],
    ignores: ['main/shell/**', 'main/index.ts', 'main/ipc/electron-transport.ts', 'main/**/*.test.ts', 'main/demo/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'electron',
              message:
                'Electron belongs in main/shell/ (or main/index.ts); services receive what they need as interfaces.',
            },
          ],
          patterns: [
            {
              group: ['**/renderer/**', '**/simulator/**'],
              message: 'main/ never imports renderer/; only main/demo/ may start the embedded simulator.',
            },
          ],
        },
      ],
    },
  },
  // Test helpers in main/ (test-support.ts), like the tests themselves, may use the simulator's
  // helpers (its test CA), so that no helper is written twice.
  {
    files: ['main/**/test-support.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'Tests never load the real electron module: mock it.' }],
          patterns: [{ group: ['**/renderer/**'], message: 'main/ never imports renderer/.' }],
        },
      ],
    },
  },
  // simulator/: written from docs/infomaniak-api.md, never from the client.
  {
    files: ['simulator/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'The simulator is plain Node.' }],
          patterns: [
            {
              group: ['**/main/**', '**/shared/**', '**/renderer/**', '**/preload/**'],
              message:
                'The simulator imports nothing from the client (main/, shared/): a shared wrong idea would hide from every test.',
            },
          ],
        },
      ],
    },
  },
  // e2e/: every spec takes `test` from shared-page.ts (one page per worker, reset between tests).
  {
    files: ['e2e/**/*.spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: '@playwright/test',
              importNames: ['test'],
              message: "Import test from './shared-page' (one browser page per worker, reset between tests).",
            },
          ],
        },
      ],
    },
  },
  // The IPC layer may use raw IPC.
  {
    files: ['main/ipc/**', 'preload/**'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  // Issue 10.8: no production function over 80 lines, no production file over 400. Every line
  // counts (blank lines and comments too). Tests, test helpers and the e2e suite are exempt.
  {
    files: ['**/*.{ts,tsx,js,mjs,cjs}'],
    ignores: ['**/*.test.{ts,tsx}', '**/test-support.{ts,tsx}', 'e2e/**'],
    rules: {
      'max-lines-per-function': ['error', { max: 80, skipBlankLines: false, skipComments: false }],
      'max-lines': ['error', { max: 400, skipBlankLines: false, skipComments: false }],
    },
  },
);
