import { copyFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, posix } from 'node:path';
import { buildSync } from 'esbuild';
import { ConsumerProject, runIn } from './consumer-project.js';

// The package as a user meets it: packed, installed from the tarball into a fresh project,
// then imported, required, bundled and type-checked there. `npm run test:packaging`.
const ENTRY_POINTS = [
  'tracelink',
  'tracelink/pino',
  'tracelink/winston',
  'tracelink/propagation',
  'tracelink/grpc',
  'tracelink/pino-transport',
  'tracelink/winston-transport',
  'tracelink/otel-logs',
];
// @opentelemetry/api unpinned, as a user types it: npm must pick a version that tracelink's
// peer range and every dependency's own peer range accept. The SDK beside it, at its current
// version, must share tracelink's @opentelemetry/core and context-async-hooks.
const PEERS = ['@opentelemetry/api', 'pino@10.4.0', 'winston@3.19.0', '@grpc/grpc-js@1.14.7'];
const SDK = ['@opentelemetry/sdk-trace-node@2'];
const TOOLS = ['typescript@5.9.3', '@types/node@20'];
/** What the app's thread must never load: the worker side and the exporters. */
const EXPORTER_SIDE =
  /\/node_modules\/(@opentelemetry\/(otlp-exporter-base|otlp-grpc-exporter-base|otlp-transformer|sdk-logs)|@grpc)\/|\/tracelink\/dist\/(esm|cjs)\/transports\/(worker|encode)\//;
const SLOW = 60_000;

let consumer: ConsumerProject;

beforeAll(() => {
  consumer = ConsumerProject.create([...PEERS, ...SDK, ...TOOLS]);
}, 300_000);

afterAll(() => consumer?.remove());

describe('the packed tarball', () => {
  describe('its contents', () => {
    it('ships the build and no sources or tests', () => {
      const files = consumer.shippedFiles();
      expect(files).toEqual(
        expect.arrayContaining([
          'dist/esm/src/index.js',
          'dist/cjs/src/index.js',
          'dist/cjs/src/index.d.ts',
        ]),
      );
      expect(files.filter((f) => f.startsWith('src') || f.startsWith('test'))).toEqual([]);
    });

    it('ships source maps only where they resolve (the build ships none)', () => {
      const files = new Set(consumer.shippedFiles());
      const unresolved: string[] = [];
      for (const file of files) {
        const text = consumer.readShipped(file);
        if (file.endsWith('.js') || file.endsWith('.ts')) {
          const url = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(text)?.[1];
          if (url !== undefined && !url.startsWith('data:')) {
            const map = posix.join(posix.dirname(file), url);
            if (!files.has(map)) unresolved.push(`${file} -> ${map}`);
          }
        } else if (file.endsWith('.map')) {
          const map = JSON.parse(text) as {
            sourceRoot?: string;
            sources: string[];
            sourcesContent?: (string | null)[];
          };
          map.sources.forEach((source, i) => {
            const path = posix.join(posix.dirname(file), map.sourceRoot ?? '', source);
            if (typeof map.sourcesContent?.[i] !== 'string' && !files.has(path)) {
              unresolved.push(`${file} -> ${path}`);
            }
          });
        }
      }
      expect(unresolved).toEqual([]);
    });

    it('ships no built module that no entry point reaches', () => {
      // Reached: the exports map's targets, then every file a reached file names by a quoted
      // relative path — imports, requires, and files loaded by path (the winston worker).
      // A `.d.ts` is reached with its `.js`, so a types-only module counts through its types.
      const files = new Set(consumer.shippedFiles());
      const exportsMap = JSON.parse(consumer.readShipped('package.json')) as {
        exports: Record<string, string | Record<string, Record<string, string>>>;
      };
      const pending = Object.values(exportsMap.exports).flatMap((target) =>
        typeof target === 'string'
          ? []
          : Object.values(target).flatMap((conditions) => Object.values(conditions)),
      );
      const reached = new Set<string>();
      for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
        const path = posix.normalize(file);
        if (reached.has(path) || !files.has(path)) continue;
        reached.add(path);
        if (path.endsWith('.js')) pending.push(path.replace(/\.js$/, '.d.ts'));
        for (const [, name] of consumer.readShipped(path).matchAll(/['"]([\w./-]+\.js)['"]/g)) {
          pending.push(posix.join(posix.dirname(path), name ?? ''));
        }
      }
      const modules = [...files].filter((f) => f.endsWith('.js') || f.endsWith('.d.ts'));
      expect(modules.filter((f) => !reached.has(f))).toEqual([]);
    });

    it('links from its markdown only to files it ships', () => {
      const files = new Set(consumer.shippedFiles());
      const broken = [...files]
        .filter((file) => file.endsWith('.md'))
        .flatMap((file) =>
          [...consumer.readShipped(file).matchAll(/\]\(([^)\s]+)\)/g)]
            .map(([, link]) => (link ?? '').replace(/#.*$/, ''))
            .filter((link) => link !== '' && !/^[a-z]+:/.test(link))
            .map((link) => posix.join(posix.dirname(file), link))
            .filter((path) => !files.has(path) && !files.has(posix.join(path, 'README.md'))),
        );
      expect(broken).toEqual([]);
    });
  });

  describe('installed beside @opentelemetry/api and the OpenTelemetry SDK', () => {
    it('installs with no peer dependency conflict', () => {
      expect(consumer.installOutput).not.toMatch(/ERESOLVE|peer dep/i);
      // `npm ls` exits non-zero on an invalid or missing peer anywhere in the tree.
      expect(() => consumer.run('npm', ['ls', '--all'])).not.toThrow();
    });

    it.each(['@opentelemetry/core', '@opentelemetry/context-async-hooks'])(
      'shares one copy of %s with the SDK',
      (name) => {
        const copies = readdirSync(join(consumer.dir, 'node_modules'), { recursive: true })
          .map(String)
          .filter((path) => path.endsWith(`${name}/package.json`))
          .map((path) => dirname(path))
          // propagator-b3 and -jaeger 2.12.0 pin core 2.12.0 exactly, and the 2.x line has no
          // later release of them: their own copy is theirs, not tracelink's range's.
          .filter((path) => !/propagator-(b3|jaeger)\//.test(path));
        expect(copies).toEqual([`${name}`]);
      },
    );
  });

  describe('in each module system', () => {
    it.each(ENTRY_POINTS)('imports %s from ESM', (entry) => {
      consumer.write(
        'esm.mjs',
        `import * as m from '${entry}'; console.log(JSON.stringify(Object.keys(m).sort()));`,
      );
      expect(JSON.parse(consumer.run('node', ['esm.mjs']))).not.toHaveLength(0);
    });

    it.each(ENTRY_POINTS)('requires %s from CommonJS', (entry) => {
      consumer.write(
        'cjs.cjs',
        `console.log(JSON.stringify(Object.keys(require('${entry}')).sort()));`,
      );
      expect(JSON.parse(consumer.run('node', ['cjs.cjs']))).not.toHaveLength(0);
    });

    it.each(['esm', 'cjs'])(
      'loads every shipped %s module, with every dependency it names',
      (format) => {
        // Resolves each import from where it is installed: a deep path into a dependency
        // (otlp-transformer's build/src/logs/…, otlp-exporter-base/node-http) that moved
        // fails here.
        const modules = consumer
          .shippedFiles()
          .filter((f) => f.startsWith(`dist/${format}/`) && f.endsWith('.js'))
          .map((f) => join(consumer.packageDir, f));
        consumer.write('modules.json', JSON.stringify(modules));
        consumer.write(
          'load-all.mjs',
          `import { readFileSync } from 'node:fs';
           import { createRequire } from 'node:module';
           import { pathToFileURL } from 'node:url';
           const require = createRequire(import.meta.url);
           for (const file of JSON.parse(readFileSync('modules.json', 'utf8'))) {
             ${format === 'esm' ? 'await import(pathToFileURL(file).href);' : 'require(file);'}
           }
           console.log('loaded');`,
        );
        expect(consumer.run('node', ['load-all.mjs']).trim()).toBe('loaded');
      },
      SLOW,
    );

    it('gives ESM and CommonJS the same named exports', () => {
      // ESM adds `default` for a module with a default export (the pino transport: pino loads
      // a target's default), and Node 23+ adds `module.exports` for a CommonJS one.
      const named =
        "(keys) => JSON.stringify(keys.filter((k) => !['default', '__esModule', 'module.exports'].includes(k)).sort())";
      for (const entry of ENTRY_POINTS) {
        consumer.write(
          'esm.mjs',
          `import * as m from '${entry}'; console.log((${named})(Object.keys(m)));`,
        );
        consumer.write('cjs.cjs', `console.log((${named})(Object.keys(require('${entry}'))));`);
        expect(consumer.run('node', ['esm.mjs'])).toBe(consumer.run('node', ['cjs.cjs']));
      }
    });

    it.each([
      ['tracelink/pino', 'winston'],
      ['tracelink/winston', 'pino'],
      ['tracelink', 'pino'],
      ['tracelink', 'winston'],
      ['tracelink/pino-transport', 'winston'],
      ['tracelink/winston-transport', 'pino'],
      ['tracelink/otel-logs', 'pino'],
      ['tracelink/otel-logs', 'winston'],
      ['tracelink', '@grpc/grpc-js'],
      ['tracelink/propagation', '@grpc/grpc-js'],
    ])('loads %s without loading %s', (entry, other) => {
      consumer.write(
        'isolation.cjs',
        `require('${entry}');
         const loaded = Object.keys(require.cache).filter((f) => f.includes('/node_modules/${other}/'));
         console.log(JSON.stringify(loaded));`,
      );
      expect(JSON.parse(consumer.run('node', ['isolation.cjs']))).toEqual([]);
    });

    it.each([
      [
        'ESM',
        'pino-transport.mjs',
        `import { closePinoTransport, exitOnSignals, validatePinoOtlpOptions } from 'tracelink/pino-transport';`,
      ],
      [
        'CommonJS',
        'pino-transport.cjs',
        `const { closePinoTransport, exitOnSignals, validatePinoOtlpOptions } = require('tracelink/pino-transport');`,
      ],
    ])(
      'loads no exporter on the app’s thread for tracelink/pino-transport (%s)',
      (_format, file, load) => {
        consumer.write(
          file,
          `${load}
           exitOnSignals()();
           validatePinoOtlpOptions({ endpoint: 'http://c:4318/v1/logs', severityOverrides: { audit: 12 } });
           if (typeof closePinoTransport !== 'function') throw new Error('no closePinoTransport');`,
        );
        const { loaded } = consumer.runRecordingLoads(file);
        expect(loaded.filter((path) => EXPORTER_SIDE.test(path))).toEqual([]);
        // The entry, its helpers and what they need: a handful of files, where the worker side
        // is hundreds. The option checks reach the peer @opentelemetry/api (through the trace
        // field profiles, for `fields`), which the application's own tracing loads anyway.
        const ours = loaded.filter((path) => path.includes('/node_modules/tracelink/dist/'));
        expect(ours.length).toBeGreaterThan(0);
        const others = loaded.filter(
          (path) => path.includes('/node_modules/') && !path.includes('/@opentelemetry/api/'),
        );
        expect(others.length).toBeLessThan(20);
      },
      SLOW,
    );

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
      consumer.write(
        'run.mjs',
        `import * as api from '@opentelemetry/api'; import pino from 'pino';
         import { traceFields } from 'tracelink'; import { pinoMixin } from 'tracelink/pino';${body}`,
      );
      consumer.write(
        'run.cjs',
        `const api = require('@opentelemetry/api'); const pino = require('pino');
         const { traceFields } = require('tracelink'); const { pinoMixin } = require('tracelink/pino');${body}`,
      );
      for (const file of ['run.mjs', 'run.cjs']) {
        const out = JSON.parse(consumer.run('node', [file])) as Record<
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
      consumer.write(
        'transport.cjs',
        `const pino = require('pino');
         const transport = pino.transport({ target: 'tracelink/pino-transport', options: { exporter: 'none' } });
         const logger = pino(transport);
         logger.info('shipped nowhere');
         transport.on('ready', () => console.log('ready'));`,
      );
      expect(consumer.run('node', ['transport.cjs']).trim()).toBe('ready');
    });

    it.each([
      [
        'esm',
        'winston.mjs',
        `import winston from 'winston';
         import { InvalidOptionError } from 'tracelink';
         import { WinstonOtlpTransport } from 'tracelink/winston-transport';`,
      ],
      [
        'cjs',
        'winston.cjs',
        `const winston = require('winston');
         const { InvalidOptionError } = require('tracelink');
         const { WinstonOtlpTransport } = require('tracelink/winston-transport');`,
      ],
    ])(
      'ships a winston record through the %s build’s own worker',
      (format, file, load) => {
        consumer.write(
          file,
          `${load}
           let typed = false;
           try { new WinstonOtlpTransport({ protocol: 'carrier-pigeon' }); }
           catch (error) { typed = error instanceof InvalidOptionError; }
           const logger = winston.createLogger({
             transports: [new WinstonOtlpTransport({ exporter: 'console' })],
           });
           logger.info('shipped from ${format}', { n: 1 });
           logger.on('finish', () => console.log(JSON.stringify({ typed })));
           logger.end();`,
        );
        const { stdout, loaded } = consumer.runRecordingLoads(file);
        // The console exporter prints the record from the worker.
        expect(stdout).toContain(`body: 'shipped from ${format}'`);
        // One copy of tracelink: the error class the app imports is the one the transport throws.
        expect(JSON.parse(stdout.trim().split('\n').pop() ?? '')).toEqual({ typed: true });
        const ours = loaded
          .filter((path) => path.includes('/node_modules/tracelink/dist/'))
          .map((path) => path.replace(/^.*\/node_modules\/tracelink\//, ''));
        expect(ours).toContain(`dist/${format}/transports/winston/otlp-worker.js`);
        expect(ours.filter((path) => !path.startsWith(`dist/${format}/`))).toEqual([]);
      },
      SLOW,
    );
  });

  it('works bundled into one file by esbuild (no require hooks, no patching)', () => {
    consumer.write(
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
      absWorkingDir: consumer.dir,
      entryPoints: ['bundle-entry.mjs'],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      outfile: join(consumer.dir, 'bundle.cjs'),
      logLevel: 'error',
    });
    // Run the bundle from a folder with no node_modules: everything it needs is inside it.
    const isolated = mkdtempSync(join(tmpdir(), 'tracelink-bundle-'));
    try {
      copyFileSync(join(consumer.dir, 'bundle.cjs'), join(isolated, 'bundle.cjs'));
      expect(JSON.parse(runIn(isolated, 'node', ['bundle.cjs']))).toEqual([
        'pino ok',
        'winston ok',
        '4bf92f3577b34da6a3ce929d0e0e4736',
      ]);
    } finally {
      rmSync(isolated, { recursive: true, force: true });
    }
  });

  describe('type-checks a TypeScript consumer', () => {
    const consumerCode = `
      import pino from 'pino';
      import winston from 'winston';
      import { createTraceFields, InvalidOptionError, traceFields } from 'tracelink';
      import type { TraceFieldOptions, TraceFieldRecord } from 'tracelink';
      import { pinoMixin, pinoSpanLogger } from 'tracelink/pino';
      import { captureTraceContext, traceFormat, traceJson } from 'tracelink/winston';
      import { createPropagator } from 'tracelink/propagation';
      import { WinstonOtlpTransport } from 'tracelink/winston-transport';
      import { closePinoTransport, exitOnSignals, validatePinoOtlpOptions } from 'tracelink/pino-transport';
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
      const stop: () => void = exitOnSignals();
      stop();
      const checked: OtlpExportOptions = validatePinoOtlpOptions({ ...transportOptions, severityOverrides: { audit: 12 } });
      // What pino.transport() returns, with a target or targets, is what closePinoTransport takes.
      const close: (transport: ReturnType<typeof pino.transport>) => Promise<void> = closePinoTransport;
      void checked;
      void close;
      void createPropagator;
      const error: Error = new InvalidOptionError('fields', 'x', 'y');
      // @ts-expect-error an unknown profile name is a type error
      pinoMixin({ fields: 'splunk' });
      export { error };
    `;
    const esm = { name: 'consumer.mts', code: consumerCode };
    const cjs = {
      name: 'consumer.cts',
      code: consumerCode.replace('export { error };', 'export = error;'),
    };
    const plain = { name: 'consumer.ts', code: consumerCode };

    it.each([
      // A Node project, as ESM and as CommonJS.
      { moduleResolution: 'node16', module: 'node16', files: [esm, cjs] },
      { moduleResolution: 'nodenext', module: 'nodenext', files: [esm, cjs] },
      // A bundler (webpack, esbuild, Vite): exports map, `import` conditions.
      { moduleResolution: 'bundler', module: 'esnext', files: [plain] },
      // `"moduleResolution": "node"`: no exports map; typesVersions maps the subpaths.
      { moduleResolution: 'node10', module: 'commonjs', files: [plain] },
    ])(
      'under $moduleResolution resolution',
      ({ moduleResolution, module, files }) => {
        for (const file of files) consumer.write(file.name, file.code);
        const tsconfig = `tsconfig.${moduleResolution}.json`;
        consumer.write(
          tsconfig,
          JSON.stringify({
            compilerOptions: {
              strict: true,
              module,
              moduleResolution,
              esModuleInterop: true,
              noEmit: true,
              types: ['node'],
            },
            files: files.map((file) => file.name),
          }),
        );
        expect(() => consumer.run('npx', ['tsc', '-p', tsconfig])).not.toThrow();
      },
      SLOW,
    );
  });
});
