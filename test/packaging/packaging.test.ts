import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildSync } from 'esbuild';

// The package as a user meets it: packed, installed from the tarball into a fresh project,
// then imported, required and type-checked there.
const ROOT = resolve(__dirname, '../..');
const ENTRY_POINTS = [
  'tracelink',
  'tracelink/pino',
  'tracelink/winston',
  'tracelink/propagation',
  'tracelink/pino-transport',
  'tracelink/winston-transport',
];
const PEERS = ['@opentelemetry/api@1.9.1', 'pino@10.4.0', 'winston@3.19.0'];
const TOOLS = ['typescript@5.9.3', '@types/node@20'];

let consumer: string;

function run(command: string, args: string[], cwd: string): string {
  return execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function write(name: string, text: string): void {
  writeFileSync(join(consumer, name), text);
}

beforeAll(() => {
  consumer = mkdtempSync(join(tmpdir(), 'tracelink-consumer-'));
  // `npm pack` runs the prepack script, which builds dist/.
  const packed = JSON.parse(
    run('npm', ['pack', '--json', '--pack-destination', consumer], ROOT),
  ) as {
    filename: string;
    files: { path: string }[];
  }[];
  const tarball = join(consumer, packed[0]?.filename ?? '');
  write('package.json', JSON.stringify({ name: 'consumer', private: true }));
  run(
    'npm',
    ['install', '--prefer-offline', '--no-audit', '--no-fund', tarball, ...PEERS, ...TOOLS],
    consumer,
  );
}, 300_000);

afterAll(() => rmSync(consumer, { recursive: true, force: true }));

describe('the packed tarball', () => {
  it('ships the build and no sources or tests', () => {
    const files = readdirSync(join(consumer, 'node_modules/tracelink'), { recursive: true }).map(
      String,
    );
    expect(files).toEqual(
      expect.arrayContaining([
        'dist/esm/src/index.js',
        'dist/cjs/src/index.js',
        'dist/cjs/src/index.d.ts',
      ]),
    );
    expect(files.filter((f) => f.startsWith('src') || f.startsWith('test'))).toEqual([]);
  });

  it.each(ENTRY_POINTS)('imports %s from ESM', (entry) => {
    write(
      'esm.mjs',
      `import * as m from '${entry}'; console.log(JSON.stringify(Object.keys(m).sort()));`,
    );
    expect(JSON.parse(run('node', ['esm.mjs'], consumer))).not.toHaveLength(0);
  });

  it.each(ENTRY_POINTS)('requires %s from CommonJS', (entry) => {
    write('cjs.cjs', `console.log(JSON.stringify(Object.keys(require('${entry}')).sort()));`);
    expect(JSON.parse(run('node', ['cjs.cjs'], consumer))).not.toHaveLength(0);
  });

  it('gives ESM and CommonJS the same named exports', () => {
    // ESM adds `default` (and `__esModule`) for a CommonJS module (the winston transport ships as
    // CommonJS), and Node 23+ also `module.exports`.
    const named =
      "(keys) => JSON.stringify(keys.filter((k) => !['default', '__esModule', 'module.exports'].includes(k)).sort())";
    for (const entry of ENTRY_POINTS) {
      write('esm.mjs', `import * as m from '${entry}'; console.log((${named})(Object.keys(m)));`);
      write('cjs.cjs', `console.log((${named})(Object.keys(require('${entry}'))));`);
      expect(run('node', ['esm.mjs'], consumer)).toBe(run('node', ['cjs.cjs'], consumer));
    }
  });

  it.each([
    ['tracelink/pino', 'winston'],
    ['tracelink/winston', 'pino'],
    ['tracelink', 'pino'],
    ['tracelink', 'winston'],
    ['tracelink/pino-transport', 'winston'],
    ['tracelink/winston-transport', 'pino'],
  ])('loads %s without loading %s', (entry, other) => {
    write(
      'isolation.cjs',
      `require('${entry}');
       const loaded = Object.keys(require.cache).filter((f) => f.includes('/node_modules/${other}/'));
       console.log(JSON.stringify(loaded));`,
    );
    expect(JSON.parse(run('node', ['isolation.cjs'], consumer))).toEqual([]);
  });

  it('stamps fields at run time in both module systems', () => {
    const body = `
      const { context, trace } = api;
      const ctx = trace.setSpanContext(context.active(), {
        traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', traceFlags: 1,
      });
      const lines = [];
      const logger = pino({ mixin: pinoMixin() }, { write: (s) => lines.push(JSON.parse(s)) });
      logger.info('no span');
      console.log(JSON.stringify({ fields: traceFields(ctx), line: lines[0] }));`;
    write(
      'run.mjs',
      `import * as api from '@opentelemetry/api'; import pino from 'pino';
       import { traceFields } from 'tracelink'; import { pinoMixin } from 'tracelink/pino';${body}`,
    );
    write(
      'run.cjs',
      `const api = require('@opentelemetry/api'); const pino = require('pino');
       const { traceFields } = require('tracelink'); const { pinoMixin } = require('tracelink/pino');${body}`,
    );
    for (const file of ['run.mjs', 'run.cjs']) {
      const out = JSON.parse(run('node', [file], consumer)) as Record<
        string,
        Record<string, unknown>
      >;
      expect(out.fields).toEqual({
        trace_id: '4bf92f3577b34da6a3ce929d0e0e4736',
        span_id: '00f067aa0ba902b7',
        trace_flags: '01',
      });
      expect(out.line).toMatchObject({ msg: 'no span' });
    }
  });

  it('runs the pino transport target by its package name in pino’s worker', () => {
    write(
      'transport.cjs',
      `const pino = require('pino');
       const transport = pino.transport({ target: 'tracelink/pino-transport', options: { exporter: 'none' } });
       const logger = pino(transport);
       logger.info('shipped nowhere');
       transport.on('ready', () => console.log('ready'));`,
    );
    expect(run('node', ['transport.cjs'], consumer).trim()).toBe('ready');
  });

  it('works bundled into one file by esbuild (no require hooks, no patching)', () => {
    write(
      'bundle-entry.mjs',
      `import pino from 'pino';
       import winston from 'winston';
       import { context, trace } from '@opentelemetry/api';
       import { traceFields } from 'tracelink';
       import { pinoMixin } from 'tracelink/pino';
       import { traceJson } from 'tracelink/winston';
       const ctx = trace.setSpanContext(context.active(), {
         traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', traceFlags: 1,
       });
       const out = [];
       pino({ mixin: pinoMixin() }, { write: (s) => out.push(JSON.parse(s).msg) }).info('pino ok');
       const info = traceJson().transform({ level: 'info', message: 'winston ok' });
       out.push(JSON.parse(info[Symbol.for('message')]).message, traceFields(ctx).trace_id);
       console.log(JSON.stringify(out));`,
    );
    buildSync({
      absWorkingDir: consumer,
      entryPoints: ['bundle-entry.mjs'],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      outfile: join(consumer, 'bundle.cjs'),
      logLevel: 'error',
    });
    // Run the bundle from a folder with no node_modules: everything it needs is inside it.
    const isolated = mkdtempSync(join(tmpdir(), 'tracelink-bundle-'));
    try {
      copyFileSync(join(consumer, 'bundle.cjs'), join(isolated, 'bundle.cjs'));
      expect(JSON.parse(run('node', ['bundle.cjs'], isolated))).toEqual([
        'pino ok',
        'winston ok',
        '4bf92f3577b34da6a3ce929d0e0e4736',
      ]);
    } finally {
      rmSync(isolated, { recursive: true, force: true });
    }
  });

  it('type-checks a TypeScript consumer under node16 resolution, as ESM and as CommonJS', () => {
    const consumerCode = `
      import pino from 'pino';
      import winston from 'winston';
      import { createTraceFields, InvalidOptionError, traceFields } from 'tracelink';
      import type { TraceFieldOptions, TraceFieldRecord } from 'tracelink';
      import { pinoMixin, pinoSpanLogger } from 'tracelink/pino';
      import { captureTraceContext, traceFormat, traceJson } from 'tracelink/winston';
      import { WinstonOtlpTransport } from 'tracelink/winston-transport';
      import type { OtlpExportOptions } from 'tracelink/pino-transport';

      const options: TraceFieldOptions = { fields: { traceId: 'tid' }, baggage: ['tenant'] };
      const fields: Readonly<TraceFieldRecord> = createTraceFields(options)();
      const logger = pino({ mixin: pinoMixin({ fields: 'ecs' }) });
      const custom = pino({ customLevels: { audit: 35 }, mixin: pinoMixin<'audit'>() });
      custom.audit('typed');
      const log = pinoSpanLogger(logger);
      log().info({ fields, more: traceFields() }, 'typed');
      const w = captureTraceContext(
        winston.createLogger({ format: winston.format.combine(traceFormat(), traceJson()) }),
      );
      w.info('typed');
      const transportOptions: OtlpExportOptions = { protocol: 'grpc', whenFull: 'drop' };
      const shipping = winston.createLogger({ transports: [new WinstonOtlpTransport({ ...transportOptions, exporter: 'none' })] });
      shipping.info('typed');
      const error: Error = new InvalidOptionError('fields', 'x', 'y');
      // @ts-expect-error an unknown profile name is a type error
      pinoMixin({ fields: 'splunk' });
      export { error };
    `;
    write('consumer.mts', consumerCode);
    write('consumer.cts', consumerCode.replace(/export \{ error \};/, 'export = error;'));
    write(
      'tsconfig.json',
      JSON.stringify({
        compilerOptions: {
          strict: true,
          module: 'node16',
          moduleResolution: 'node16',
          esModuleInterop: true,
          noEmit: true,
          types: ['node'],
        },
        files: ['consumer.mts', 'consumer.cts'],
      }),
    );
    expect(() => run('npx', ['tsc', '-p', 'tsconfig.json'], consumer)).not.toThrow();
  });
});
