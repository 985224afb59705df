import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFreePorts } from '../free-ports.js';
import { pollUntil } from '../poll-until.js';
import { renderCollectorConfig } from './collector-config.js';
import type { CollectorOptions } from './collector-config.js';
import {
  CollectorStartError,
  collectorBinary,
  launchCollector,
  readLogTail,
  terminateCollector,
} from './collector-process.js';
import { readFileExporterOutput } from './read-file-exporter.js';
import type { ReceivedLogRecord } from './read-file-exporter.js';

export type { CollectorOptions } from './collector-config.js';
export type { ReceivedLogRecord } from './read-file-exporter.js';
export { CollectorStartError } from './collector-process.js';

/** A real OpenTelemetry Collector process, its endpoints and what it has written. */
export interface RunningCollector {
  /** OTLP/gRPC, e.g. `http://127.0.0.1:41234`. */
  readonly grpcEndpoint: string;
  /** OTLP/HTTP base, e.g. `http://127.0.0.1:41235`. */
  readonly httpEndpoint: string;
  /** `httpEndpoint + '/v1/logs'`. */
  readonly logsUrl: string;
  /** The temp dir holding `config.yaml`, `logs.jsonl`, `traces.jsonl` and `collector.log`. */
  readonly dir: string;
  /** Every log record written so far (the file is flushed every 100 ms). */
  readLogRecords(): Promise<ReceivedLogRecord[]>;
  /** Polls until at least `count` records were written, then returns all of them. */
  waitForLogRecords(count: number, timeoutMs?: number): Promise<ReceivedLogRecord[]>;
  /** The last lines of the collector's own log. */
  readCollectorLog(lines?: number): string;
  /** Stops the process (gracefully, so the file is flushed) and keeps its ports and files. */
  stopReceiving(): Promise<void>;
  /** Starts a new process on the same ports, appending to the same files. */
  startAgain(): Promise<void>;
  /** Stops the process and removes the temp dir. Safe to call twice. */
  stop(): Promise<void>;
}

/** Attempts at picking ports: another process may take a free port before the collector binds. */
const PORT_ATTEMPTS = 3;

/**
 * Starts the collector on free 127.0.0.1 ports and resolves once its health check answers.
 *
 * @example
 * const collector = await startCollector();
 * await fetch(collector.logsUrl, { method: 'POST', headers, body });
 * const [record] = await collector.waitForLogRecords(1);
 * await collector.stop();
 */
export async function startCollector(options: CollectorOptions = {}): Promise<RunningCollector> {
  const binary = collectorBinary();
  const dir = await mkdtemp(join(tmpdir(), 'tracelink-otelcol-'));
  const files = {
    configFile: join(dir, 'config.yaml'),
    logsFile: join(dir, 'logs.jsonl'),
    tracesFile: join(dir, 'traces.jsonl'),
    collectorLogFile: join(dir, 'collector.log'),
  };
  let child: ChildProcess | undefined;
  let ports: number[] = [];
  for (let attempt = 1; child === undefined; attempt++) {
    ports = await findFreePorts(3);
    const [grpcPort = 0, httpPort = 0, healthPort = 0] = ports;
    const config = renderCollectorConfig({ ...options, ...files, grpcPort, httpPort, healthPort });
    await writeFile(files.configFile, config);
    try {
      child = await launchCollector({
        binary,
        configFile: files.configFile,
        logFile: files.collectorLogFile,
        healthPort,
      });
    } catch (error) {
      const portTaken = readLogTail(files.collectorLogFile).includes('address already in use');
      if (attempt < PORT_ATTEMPTS && portTaken) continue;
      await rm(dir, { recursive: true, force: true });
      throw error;
    }
  }
  const [grpcPort, httpPort, healthPort = 0] = ports;
  const httpEndpoint = `http://127.0.0.1:${httpPort}`;
  const readLogRecords = (): Promise<ReceivedLogRecord[]> => readFileExporterOutput(files.logsFile);
  let removed = false;

  return {
    grpcEndpoint: `http://127.0.0.1:${grpcPort}`,
    httpEndpoint,
    logsUrl: `${httpEndpoint}/v1/logs`,
    dir,
    readLogRecords,
    async waitForLogRecords(count, timeoutMs = 10_000) {
      let records: ReceivedLogRecord[] = [];
      const arrived = await pollUntil(async () => {
        records = await readLogRecords();
        return records.length >= count;
      }, timeoutMs);
      if (arrived) return records;
      throw new Error(
        `expected at least ${count} log records within ${timeoutMs} ms, but ${records.length} ` +
          `arrived; collector log:\n${readLogTail(files.collectorLogFile)}`,
      );
    },
    readCollectorLog: (lines) => readLogTail(files.collectorLogFile, lines),
    async stopReceiving() {
      if (child) await terminateCollector(child);
    },
    async startAgain() {
      if (removed) throw new CollectorStartError('the collector was stopped for good');
      if (child && child.exitCode === null && child.signalCode === null) {
        throw new CollectorStartError('the collector is still running: call stopReceiving first');
      }
      child = await launchCollector({
        binary,
        configFile: files.configFile,
        logFile: files.collectorLogFile,
        healthPort,
      });
    },
    async stop() {
      if (child) await terminateCollector(child);
      removed = true;
      await rm(dir, { recursive: true, force: true });
    },
  };
}
