// Lint rules: typescript-eslint's type-aware recommended set, the two rules STYLE.md names
// (consistent type imports, no floating promises), and the walls between the parts (below).
// Prettier owns layout.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

// The walls, as import patterns each part may not use. Imports point one way: transports → src;
// pino, winston, propagation → fields → core. A type-only import loads nothing and may cross.
const TRANSPORTS = { regex: '(^|/)transports/', message: 'src/ never imports transports/.' };
const SIBLING = (part) => ({
  regex: `^\\.\\./(\\.\\./)*(${part})(/|$)`,
  message: `this part may not import src/${part.split('|').join(' or src/')}.`,
});
// On the logging thread (everything but the worker and the two worker entries) neither the
// worker's modules nor an exporter package may load: they cost hundreds of modules and
// ~200 ms at start-up, and the exporters belong off the app's thread.
const WORKER = {
  regex: '(^|/)worker/|^@opentelemetry/(otlp-exporter-base|otlp-grpc-exporter-base|exporter-.*)$',
  message: 'the logging thread never loads transports/worker or an exporter.',
  allowTypeImports: true,
};
const walls = (files, ...patterns) => ({
  files,
  rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns }] },
});

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', '.cache/', 'coverage/', '**/*.mjs', '**/*.cjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  walls(['src/core/**/*.ts'], { regex: '^\\.\\./', message: 'core imports nothing of ours.' }),
  walls(['src/fields/**/*.ts'], TRANSPORTS, SIBLING('pino|winston|propagation')),
  walls(['src/pino/**/*.ts'], TRANSPORTS, SIBLING('winston|propagation')),
  walls(['src/winston/**/*.ts'], TRANSPORTS, SIBLING('pino|propagation')),
  walls(['src/propagation/**/*.ts'], TRANSPORTS, SIBLING('pino|winston')),
  walls(['src/index.ts'], TRANSPORTS),
  // Trace-aware logging: its pino half never loads winston, its winston half never loads pino.
  walls(['src/trace-aware/**/*.ts'], TRANSPORTS, SIBLING('pino|winston|propagation')),
  walls(['src/trace-aware/pino-*.ts'], TRANSPORTS, SIBLING('pino|winston|propagation'), {
    regex: '^(\\./winston-|winston$|logform$|winston-transport$)',
    message: 'the pino half never loads winston.',
  }),
  walls(['src/trace-aware/winston-*.ts'], TRANSPORTS, SIBLING('pino|winston|propagation'), {
    regex: '^(\\./pino-|pino$)',
    message: 'the winston half never loads pino.',
  }),
  walls(
    ['transports/*.ts', 'transports/{options,mapping,encode}/**/*.ts', 'transports/pino/index.ts'],
    WORKER,
  ),
  walls(['transports/winston/**/*.ts', 'transports/pino/pino-otlp-transport-options.ts'], WORKER),
  // The in-process mode runs in the app's thread and loads no worker and no exporter; its
  // LogRecordProcessor reuses the worker's export queue and reports (thread-agnostic), never an
  // exporter: the app hands it its own.
  walls(['transports/otel-logs/*.ts'], WORKER),
  walls(['transports/otel-logs/processor/*.ts'], {
    regex: '^@opentelemetry/(otlp-exporter-base|otlp-grpc-exporter-base|exporter-.*)$',
    message: 'the processor takes the app’s exporter and loads none.',
  }),
  {
    files: ['transports/winston/otlp-worker.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': 'off' },
  },
  prettier,
);
