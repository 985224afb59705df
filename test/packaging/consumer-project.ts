import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository, packed by `npm pack` (whose prepack script builds dist/). */
const ROOT = resolve(__dirname, '../..');

/**
 * A fresh project under the system temp folder with the packed tarball installed, as a user
 * meets the package: files are written into it and run there by `node`, `npx tsc` or `npm`.
 */
export class ConsumerProject {
  /** What `npm install` printed (stdout and stderr), for its warnings. */
  readonly installOutput: string;

  private constructor(
    readonly dir: string,
    installOutput: string,
  ) {
    this.installOutput = installOutput;
  }

  /** Packs the repository and installs the tarball with `packages` beside it. */
  static create(packages: readonly string[]): ConsumerProject {
    const dir = mkdtempSync(join(tmpdir(), 'tracelink-consumer-'));
    const packed = JSON.parse(
      runIn(ROOT, 'npm', ['pack', '--json', '--pack-destination', dir]),
    ) as {
      filename: string;
    }[];
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));
    const args = ['install', '--prefer-offline', '--no-audit', '--no-fund'];
    const install = spawnSync('npm', [...args, join(dir, packed[0]?.filename ?? ''), ...packages], {
      cwd: dir,
      encoding: 'utf8',
    });
    const output = `${install.stdout}${install.stderr}`;
    if (install.status !== 0) throw new Error(`npm install failed:\n${output}`);
    return new ConsumerProject(dir, output);
  }

  /** The installed package's folder. */
  get packageDir(): string {
    return join(this.dir, 'node_modules/tracelink');
  }

  /**
   * Every file the package ships, relative to its folder, with `/` separators (without the
   * dependencies npm nests in its node_modules/ when the project's own copy does not fit).
   */
  shippedFiles(): string[] {
    return readdirSync(this.packageDir, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => join(entry.parentPath, entry.name).slice(this.packageDir.length + 1))
      .filter((file) => !file.startsWith('node_modules/'))
      .sort();
  }

  readShipped(file: string): string {
    return readFileSync(join(this.packageDir, file), 'utf8');
  }

  write(name: string, text: string): void {
    writeFileSync(join(this.dir, name), text);
  }

  /** Runs a command in the project and returns its stdout; throws (with stderr) if it fails. */
  run(command: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): string {
    return runIn(this.dir, command, args, env);
  }

  /**
   * Runs a script with `node` and lists every module file it loaded, on every thread: what the
   * ESM loader loaded (a module hook, which worker threads inherit through `--import`) and what
   * `require` loaded (the CommonJS cache, at each thread's exit).
   */
  runRecordingLoads(script: string): { stdout: string; loaded: string[] } {
    this.write(
      'record-loads.mjs',
      `import { appendFileSync } from 'node:fs';
       import { createRequire, register } from 'node:module';
       const log = process.env.TRACELINK_LOAD_LOG;
       register('./record-loads-hooks.mjs', import.meta.url, { data: { log } });
       const cache = createRequire(import.meta.url).cache;
       process.on('exit', () => appendFileSync(log, Object.keys(cache).join('\\n') + '\\n'));`,
    );
    this.write(
      'record-loads-hooks.mjs',
      `import { appendFileSync } from 'node:fs';
       let log;
       export function initialize(data) { log = data.log; }
       export async function load(url, context, next) {
         appendFileSync(log, url + '\\n');
         return next(url, context);
       }`,
    );
    const logDir = mkdtempSync(join(tmpdir(), 'tracelink-loads-'));
    const log = join(logDir, 'loaded.txt');
    writeFileSync(log, '');
    try {
      const stdout = this.run('node', ['--import', './record-loads.mjs', script], {
        TRACELINK_LOAD_LOG: log,
      });
      const loaded = readFileSync(log, 'utf8')
        .split('\n')
        .filter((line) => line.startsWith('/') || line.startsWith('file:'))
        .map((line) => (line.startsWith('file:') ? fileURLToPath(line) : line));
      return { stdout, loaded: [...new Set(loaded)].sort() };
    } finally {
      rmSync(logDir, { recursive: true, force: true });
    }
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Runs a command in `cwd` and returns its stdout; throws with its stdout and stderr if it fails. */
export function runIn(
  cwd: string,
  command: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
): string {
  try {
    return execFileSync(command, args, {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...env },
    });
  } catch (error) {
    // tsc reports on stdout: without it the failure says only "Command failed".
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`${(error as Error).message}\n${stdout}${stderr}`);
  }
}
