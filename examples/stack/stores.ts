// The stores and the collector of the stack: built or downloaded once into .cache/ (keyed by
// version) by the build scripts under test/integration/, started on free 127.0.0.1 ports, each
// with a fresh data directory and its own log file.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePorts, launch, stop } from './processes.js';
import type { StackProcess } from './processes.js';

const ROOT = resolve(__dirname, '../..');
const COLLECTOR_BUILD = join(ROOT, 'test/integration/collector/build.sh');
const STORES_BUILD = join(ROOT, 'test/integration/stores/build.sh');

// Readiness waits, generous for a loaded 2-core machine: Zipkin (a JVM) takes 4-5 s when the
// machine is quiet and up to 30 s when it is not; the Go processes well under a second.
const ZIPKIN_READY_MS = 120_000;
const GO_READY_MS = 30_000;
// A cold build of everything takes minutes (Jaeger alone 5-10 on 2 cores); a cached one returns
// at once.
const BUILD_TIMEOUT_MS = 40 * 60_000;

/** Where each part of the running stack answers. */
export interface StoreUrls {
  /** VictoriaLogs: LogsQL at `/select/logsql/query`, its web UI at `/select/vmui/`. */
  readonly victoriaLogs: string;
  /** Jaeger's query API (`/api/v3/traces/<id>`). */
  readonly jaegerQuery: string;
  /** Zipkin: its API at `/api/v2/`, its web UI at `/zipkin/`. */
  readonly zipkin: string;
  /** The collector's OTLP/HTTP base, for `OTEL_EXPORTER_OTLP_ENDPOINT`. */
  readonly collectorOtlpHttp: string;
}

/** The running stores and collector. */
export interface RunningStores {
  readonly urls: StoreUrls;
  /** The folder holding the data directories and every process's log. */
  readonly dir: string;
  /** Stops the collector, then the stores; waits until each has ended. */
  stop(): Promise<void>;
}

/** Runs a build script; resolves its stdout. Its progress goes to this process's stderr. */
function runBuild(script: string): Promise<string> {
  return new Promise((resolveOutput, reject) => {
    const child = spawn('bash', [script], { detached: true, stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const timer = setTimeout(() => {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    }, BUILD_TIMEOUT_MS);
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolveOutput(stdout);
      else reject(new Error(`${script} failed (${code ?? signal}); see its output above`));
    });
  });
}

/** The paths of the collector and of the three stores, built or downloaded if not cached. */
export async function buildStack(): Promise<Record<string, string>> {
  const collector = (await runBuild(COLLECTOR_BUILD)).trim().split('\n').pop() ?? '';
  const paths: Record<string, string> = { collector };
  for (const line of (await runBuild(STORES_BUILD)).trim().split('\n')) {
    const [store = '', path = ''] = line.split(' ');
    paths[store] = path;
  }
  return paths;
}

/**
 * Builds (once) and starts VictoriaLogs, Jaeger, Zipkin and the collector configured by
 * examples/stack/collector.yaml; Zipkin's "Logs" button opens VictoriaLogs' web UI on a query
 * for the trace's id.
 */
export async function startStores(): Promise<RunningStores> {
  const paths = await buildStack();
  const dir = mkdtempSync(join(tmpdir(), 'tracelink-stack-'));
  const started: StackProcess[] = [];
  const stopAll = async (): Promise<void> => {
    // The collector first, so it can still deliver what it holds to the stores.
    for (const process of started.reverse()) await stop(process);
    started.length = 0;
  };
  try {
    const [vl, jaegerGrpc, jaegerHttp, jaegerQuery, jaegerQueryGrpc, jaegerHealth, zipkin] =
      await freePorts(7);
    const victoriaLogs = `http://127.0.0.1:${vl}`;
    mkdirSync(join(dir, 'victoria-logs-data'));
    started.push(
      await launch({
        name: 'VictoriaLogs',
        command: paths['victoria-logs'] ?? '',
        args: [
          `-httpListenAddr=127.0.0.1:${vl}`,
          `-storageDataPath=${join(dir, 'victoria-logs-data')}`,
          '-retentionPeriod=100y',
        ],
        logFile: join(dir, 'victoria-logs.log'),
        healthUrl: `${victoriaLogs}/health`,
        readyTimeoutMs: GO_READY_MS,
      }),
    );
    started.push(
      await launch({
        name: 'Jaeger',
        command: paths.jaeger ?? '',
        args: ['--config', join(__dirname, 'jaeger.yaml')],
        env: {
          JAEGER_OTLP_GRPC_PORT: String(jaegerGrpc),
          JAEGER_OTLP_HTTP_PORT: String(jaegerHttp),
          JAEGER_QUERY_PORT: String(jaegerQuery),
          JAEGER_QUERY_GRPC_PORT: String(jaegerQueryGrpc),
          JAEGER_HEALTH_PORT: String(jaegerHealth),
        },
        logFile: join(dir, 'jaeger.log'),
        healthUrl: `http://127.0.0.1:${jaegerHealth}/status`,
        readyTimeoutMs: GO_READY_MS,
      }),
    );
    // Zipkin puts the trace's id in place of `{traceId}`: the braces stay unencoded.
    const logsQuery = encodeURIComponent('trace_id:="{traceId}"').replace(
      '%7BtraceId%7D',
      '{traceId}',
    );
    started.push(
      await launch({
        name: 'Zipkin',
        command: 'java',
        args: [
          '-Xmx512m',
          '-XX:TieredStopAtLevel=1',
          '-jar',
          paths.zipkin ?? '',
          '--armeria.ports[0].ip=127.0.0.1',
          `--armeria.ports[0].port=${zipkin}`,
          '--armeria.ports[0].protocols[0]=http',
          `--zipkin.ui.logs-url=${victoriaLogs}/select/vmui/#/?query=${logsQuery}`,
        ],
        logFile: join(dir, 'zipkin.log'),
        healthUrl: `http://127.0.0.1:${zipkin}/health`,
        readyTimeoutMs: ZIPKIN_READY_MS,
      }),
    );
    const [grpc, http, health] = await freePorts(3);
    started.push(
      await launch({
        name: 'collector',
        command: paths.collector ?? '',
        args: ['--config', `file:${join(__dirname, 'collector.yaml')}`],
        env: {
          COLLECTOR_OTLP_GRPC: `127.0.0.1:${grpc}`,
          COLLECTOR_OTLP_HTTP: `127.0.0.1:${http}`,
          COLLECTOR_HEALTH: `127.0.0.1:${health}`,
          VICTORIA_LOGS_URL: victoriaLogs,
          JAEGER_OTLP_GRPC: `127.0.0.1:${jaegerGrpc}`,
        },
        logFile: join(dir, 'collector.log'),
        healthUrl: `http://127.0.0.1:${health}/`,
        readyTimeoutMs: GO_READY_MS,
      }),
    );
    return {
      urls: {
        victoriaLogs,
        jaegerQuery: `http://127.0.0.1:${jaegerQuery}`,
        zipkin: `http://127.0.0.1:${zipkin}`,
        collectorOtlpHttp: `http://127.0.0.1:${http}`,
      },
      dir,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
