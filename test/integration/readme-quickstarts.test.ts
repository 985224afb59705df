import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { startCollector } from './collector/start-collector.js';
import type { ReceivedLogRecord, RunningCollector } from './collector/start-collector.js';
import { pollUntil } from './poll-until.js';

// The README's quick starts run as pasted: each `js` block under "## Quick starts" is saved as an
// ES module in an empty project that holds only the packed tarball and the packages the README's
// "## Install" section names, and run with `node`. Correlate blocks must print lines carrying a
// trace id; propagate blocks lines carrying the trace id of the `traceparent` they send; ship
// blocks print the trace id they logged in, and a record of that trace must reach a real
// collector (started here with the file exporter, its address given as OTEL_EXPORTER_OTLP_ENDPOINT,
// the standard variable the snippets' default endpoint falls back to).
//
// The tarball is packed from the build that `npm run test:integration` has just made, without
// the prepack script: rebuilding dist/ here would pull it from under the other integration tests.
const ROOT = resolve(__dirname, '../..');
const README = readFileSync(resolve(ROOT, 'README.md'), 'utf8');
const INSTALL_TIMEOUT_MS = 240_000;
const SNIPPET_TIMEOUT_MS = 30_000;
const TRACE_ID = /\b[0-9a-f]{32}\b/;

const run = promisify(execFile);

/** The lines of a `## Heading` section, up to the next `## ` heading. */
function section(markdown: string, heading: string): string[] {
  const lines = markdown.split('\n');
  const start = lines.findIndex((line) => line.trim() === `## ${heading}`);
  if (start === -1) throw new Error(`README.md has no "## ${heading}" section`);
  const end = lines.findIndex((line, i) => i > start && line.startsWith('## '));
  return lines.slice(start + 1, end === -1 ? undefined : end);
}

/** The fenced code blocks of `lang` in some lines, each with the `###` heading above it. */
function codeBlocks(lines: string[], lang: string): { heading: string; code: string }[] {
  const blocks: { heading: string; code: string }[] = [];
  let heading = '';
  let open: string[] | undefined;
  let openLang = '';
  for (const line of lines) {
    if (open === undefined) {
      if (line.startsWith('### ')) heading = line.slice(4).trim();
      const fence = /^```(\S*)/.exec(line);
      if (fence) {
        open = [];
        openLang = fence[1] ?? '';
      }
    } else if (line.startsWith('```')) {
      if (openLang === lang) blocks.push({ heading, code: `${open.join('\n')}\n` });
      open = undefined;
    } else {
      open.push(line);
    }
  }
  return blocks;
}

/** The packages of every `npm install` line of the install section, comments left out. */
function installedPackages(): string[] {
  const packages: string[] = [];
  for (const { code } of codeBlocks(section(README, 'Install'), 'sh')) {
    for (const line of code.split('\n')) {
      const words = line.replace(/#.*/, '').trim().split(/\s+/);
      if (words[0] !== 'npm' || (words[1] !== 'install' && words[1] !== 'i')) continue;
      packages.push(...words.slice(2).filter((word) => !word.startsWith('-')));
    }
  }
  return packages;
}

/** The package a bare import specifier names: `@scope/name` or `name`. */
function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? '');
}

type Kind = 'correlate' | 'ship' | 'propagate';

interface Snippet {
  readonly title: string;
  readonly kind: Kind;
  readonly code: string;
}

function kindOf(heading: string): Kind {
  const word = heading.split(/[\s:]/)[0]?.toLowerCase();
  if (word === 'correlate' || word === 'ship' || word === 'propagate') return word;
  throw new Error(
    `quick start "${heading}": expected it to start with Correlate, Ship or Propagate`,
  );
}

const PACKAGES = installedPackages();
const SNIPPETS: Snippet[] = codeBlocks(section(README, 'Quick starts'), 'js').map(
  ({ heading, code }, index) => ({
    title: `${index + 1}. ${heading}`,
    kind: kindOf(heading),
    code,
  }),
);

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `node file` in the project; resolves when it exits, kills it past the time limit. */
function runNode(file: string, cwd: string, env: NodeJS.ProcessEnv): Promise<Run> {
  const child = spawn(process.execPath, [file], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolveRun, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${file} did not exit within ${SNIPPET_TIMEOUT_MS} ms\n${stderr}`));
    }, SNIPPET_TIMEOUT_MS);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolveRun({ code, stdout, stderr });
    });
  });
}

/** The JSON objects among the output's lines. */
function jsonLines(stdout: string): Record<string, unknown>[] {
  const lines: Record<string, unknown>[] = [];
  for (const line of stdout.split('\n')) {
    if (!line.startsWith('{')) continue;
    lines.push(JSON.parse(line) as Record<string, unknown>);
  }
  return lines;
}

let project: string;
let collector: RunningCollector;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  if (!existsSync(resolve(ROOT, 'dist/cjs/src/index.js'))) {
    throw new Error('dist/ is missing: run `npm run build` (npm run test:integration does)');
  }
  project = mkdtempSync(join(tmpdir(), 'tracelink-quickstarts-'));
  const [packed] = JSON.parse(
    (
      await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', project], {
        cwd: ROOT,
      })
    ).stdout,
  ) as { filename: string }[];
  const tarball = join(project, packed?.filename ?? '');
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'empty', private: true }));
  const packages = PACKAGES.map((name) => (name === 'tracelink' ? tarball : name));
  await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', ...packages], {
    cwd: project,
    timeout: INSTALL_TIMEOUT_MS,
  });
  collector = await startCollector();
  // The machine's own OTEL_* settings must not change what the snippets do.
  env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('OTEL_')));
  env.OTEL_EXPORTER_OTLP_ENDPOINT = collector.httpEndpoint;
}, INSTALL_TIMEOUT_MS + 60_000);

afterAll(async () => {
  await collector?.stop();
  if (project !== undefined) rmSync(project, { recursive: true, force: true });
});

describe('the README', () => {
  it('installs tracelink in its install section', () => {
    expect(PACKAGES).toContain('tracelink');
  });

  it('has correlate, ship and propagate quick starts', () => {
    expect(new Set(SNIPPETS.map((s) => s.kind))).toEqual(
      new Set(['correlate', 'ship', 'propagate']),
    );
  });

  it.each(SNIPPETS)(
    'quick start $title imports only Node built-ins and installed packages',
    ({ code }) => {
      const specifiers = [...code.matchAll(/^import\s[^'"]*['"]([^'"]+)['"]/gm)].map(
        (m) => m[1] ?? '',
      );
      const missing = specifiers
        .filter((s) => !s.startsWith('node:'))
        .filter((s) => !PACKAGES.includes(packageOf(s)));
      expect(missing).toEqual([]);
    },
  );
});

describe('each README quick start, pasted into an empty project', () => {
  it.each(SNIPPETS)(
    '$title runs and its output carries a trace id',
    async ({ title, kind, code }) => {
      const file = `quickstart-${title.split('.')[0]}.mjs`;
      writeFileSync(join(project, file), code);
      const result = await runNode(file, project, env);
      expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });

      if (kind === 'ship') {
        const traceId = TRACE_ID.exec(result.stdout)?.[0];
        expect(traceId).toMatch(TRACE_ID);
        // The process has exited, so its records were sent; the collector writes them to its
        // file within a flush interval.
        let arrived: ReceivedLogRecord[] = [];
        await pollUntil(async () => {
          arrived = (await collector.readLogRecords()).filter((r) => r.traceId === traceId);
          return arrived.length > 0;
        }, 10_000);
        expect(arrived).toHaveLength(1);
        expect(arrived[0]?.spanId).toMatch(/^[0-9a-f]{16}$/);
        return;
      }

      const lines = jsonLines(result.stdout);
      expect(lines.length).toBeGreaterThan(0);
      for (const line of lines) {
        expect(line.trace_id).toMatch(/^[0-9a-f]{32}$/);
        expect(line.span_id).toMatch(/^[0-9a-f]{16}$/);
      }
      if (kind === 'propagate') {
        // The trace id the snippet's caller sends, and a span of each request's own.
        const sent = /traceparent: '00-([0-9a-f]{32})-([0-9a-f]{16})-/.exec(code);
        expect(sent).not.toBeNull();
        expect(lines.length).toBeGreaterThanOrEqual(2);
        for (const line of lines) {
          expect(line.trace_id).toBe(sent?.[1]);
          expect(line.span_id).not.toBe(sent?.[2]);
        }
        expect(new Set(lines.map((line) => line.span_id)).size).toBe(lines.length);
      }
    },
    SNIPPET_TIMEOUT_MS + 15_000,
  );
});
