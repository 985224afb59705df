// A real OpenTelemetry Collector for the transports suite, the same shape as the integration
// tests' (test/integration/collector/collector-config.ts): OTLP receiver (gRPC + HTTP on free
// 127.0.0.1 ports) → batch → the contrib file exporter writing OTLP JSON lines (flushed every
// 100 ms), health_check, no internal metrics. The bench counts what arrives by reading that
// file as it grows.
import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { ROOT } from '../harness.js';

const BUILD_SCRIPT = join(ROOT, 'test/integration/collector/build.sh');
const STARTUP_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 5_000;

export interface Collector {
  pid: number;
  logsUrl: string;
  grpcEndpoint: string;
  logsFile: string;
  collectorLog: string;
  stop(): Promise<void>;
}

/** The cached collector binary (build.sh builds it once, then prints the cached path). */
export function collectorBinary(): string {
  if (process.env.TRACELINK_OTELCOL_BIN) return process.env.TRACELINK_OTELCOL_BIN;
  const out = execFileSync('bash', [BUILD_SCRIPT], { encoding: 'utf8', timeout: 15 * 60_000 });
  return out.trim().split('\n').pop()!;
}

/** The collector's version, as `tracelink-otelcol --version` prints it. */
export function collectorVersion(binary: string): string {
  return execFileSync(binary, ['--version'], { encoding: 'utf8', timeout: 10_000 }).trim();
}

async function freePorts(count: number): Promise<number[]> {
  const servers = Array.from({ length: count }, () => createServer());
  const ports = await Promise.all(
    servers.map(
      (s) =>
        new Promise<number>((resolve, reject) => {
          s.once('error', reject);
          s.listen(0, '127.0.0.1', () => resolve((s.address() as AddressInfo).port));
        }),
    ),
  );
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  return ports;
}

const json = JSON.stringify; // JSON is YAML (flow style): no quoting rules of our own

function renderConfig(c: {
  grpcPort: number;
  httpPort: number;
  healthPort: number;
  logsFile: string;
  collectorLog: string;
}): string {
  return [
    'receivers:',
    '  otlp:',
    '    protocols:',
    '      grpc:',
    `        endpoint: 127.0.0.1:${c.grpcPort}`,
    '      http:',
    `        endpoint: 127.0.0.1:${c.httpPort}`,
    'processors:',
    '  batch:',
    '    timeout: 50ms',
    'exporters:',
    '  file/logs:',
    `    path: ${json(c.logsFile)}`,
    '    format: json',
    '    flush_interval: 100ms',
    // O_APPEND: the bench truncates the file between runs, once it has stopped growing.
    '    append: true',
    'extensions:',
    '  health_check:',
    `    endpoint: 127.0.0.1:${c.healthPort}`,
    'service:',
    '  extensions: [health_check]',
    '  telemetry:',
    '    metrics:',
    '      level: none',
    '    logs:',
    '      level: warn',
    `      output_paths: [${json(c.collectorLog)}]`,
    `      error_output_paths: [${json(c.collectorLog)}]`,
    '  pipelines:',
    '    logs:',
    '      receivers: [otlp]',
    '      processors: [batch]',
    '      exporters: [file/logs]',
    '',
  ].join('\n');
}

function isHealthy(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = get({ host: '127.0.0.1', port, path: '/', agent: false, timeout: 1000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
  });
}

const exited = (child: ChildProcess) => child.exitCode !== null || child.signalCode !== null;

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (exited(child)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    child.once('exit', () => (clearTimeout(timer), resolve(true)));
  });
}

/** Starts the collector and resolves once its health check answers. */
export async function startCollector(binary = collectorBinary()): Promise<Collector> {
  const dir = mkdtempSync(join(tmpdir(), 'tracelink-bench-otelcol-'));
  const logsFile = join(dir, 'logs.jsonl');
  const collectorLog = join(dir, 'collector.log');
  const configFile = join(dir, 'config.yaml');
  const [grpcPort, httpPort, healthPort] = (await freePorts(3)) as [number, number, number];
  writeFileSync(
    configFile,
    renderConfig({ grpcPort, httpPort, healthPort, logsFile, collectorLog }),
  );
  writeFileSync(logsFile, ''); // exists from the start: the bench opens it once
  const fd = openSync(collectorLog, 'a');
  const child = spawn(binary, ['--config', `file:${configFile}`], { stdio: ['ignore', fd, fd] });
  closeSync(fd);
  const kill = () => child.kill('SIGKILL');
  process.once('exit', kill); // never outlives the bench
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  while (!exited(child) && !(await isHealthy(healthPort))) {
    if (Date.now() > deadline) break;
    await delay(25);
  }
  if (exited(child) || !(await isHealthy(healthPort))) {
    kill();
    const log = readFileSync(collectorLog, 'utf8').split('\n').slice(-20).join('\n');
    throw new Error(`the collector did not start (${binary}); its log:\n${log}`);
  }
  return {
    pid: child.pid!,
    logsUrl: `http://127.0.0.1:${httpPort}/v1/logs`,
    grpcEndpoint: `http://127.0.0.1:${grpcPort}`,
    logsFile,
    collectorLog,
    async stop() {
      if (!exited(child)) {
        child.kill('SIGTERM');
        if (!(await waitForExit(child, STOP_TIMEOUT_MS))) {
          kill();
          await waitForExit(child, 2_000);
        }
      }
      process.off('exit', kill);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
