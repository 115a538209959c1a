// Lint rules that keep the house plan (../shared/docs/ARCHITECTURE.md) true over time:
// - src/core and src/ml never import 'vscode' (they run in tests, the CLI and the job process);
// - the web-safe parsers (chem, cif, structure) and the webviews import no Node modules.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const nodeBuiltins = ['fs', 'path', 'os', 'child_process', 'worker_threads', 'crypto', 'url', 'util', 'stream', 'http', 'https', 'net', 'zlib', 'readline', 'process', 'events', 'buffer', 'module', 'perf_hooks']
  .flatMap((m) => [m, `node:${m}`, `${m}/*`, `node:${m}/*`]);

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', 'test-results/**', '**/*.d.ts', 'bench/.cache/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    files: ['src/core/**/*.ts', 'src/ml/**/*.ts', 'src/jobs/**/*.ts', 'src/runs/**/*.ts', 'src/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'src/core, src/ml, src/jobs, src/runs and src/cli run without VS Code: keep vscode in src/extension.' }] }],
    },
  },
  {
    files: ['src/core/chem/**/*.ts', 'src/core/cif/**/*.ts', 'src/core/structure/**/*.ts', 'webview/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'vscode', message: 'web-safe code: no vscode import.' }],
        patterns: [{ group: nodeBuiltins, message: 'web-safe code (runs in VS Code for the Web and in webviews): no Node modules.' }],
      }],
    },
  },
  {
    files: ['**/*.mjs', '**/*.js', '**/*.cjs'],
    languageOptions: { globals: { ...globals.node } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
