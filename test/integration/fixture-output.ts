import { decodeAnyValue } from './collector/read-file-exporter.js';
import type { OtlpAnyValue } from './collector/read-file-exporter.js';
import type { RecordedRequest } from './fake-otlp-receiver.js';
import { findFreePorts } from './free-ports.js';
import type { FixtureRun } from './run-fixture.js';

/** A `tracelink: N of M log records were not delivered to …` line, parsed. */
export interface LossReport {
  readonly lost: number;
  readonly received: number;
  readonly destination: string;
  readonly reasons: Record<string, number>;
}

const LOSS_LINE =
  /^tracelink: (\d+) of (\d+) log records were not delivered to (\S+) \(([^)]*)\)(?:; last export error: .*)?$/gm;

/** Every loss report at the start of a stderr line (not the `[otel error]` copy from diag). */
export function lossReportsOf(stderr: string): LossReport[] {
  return [...stderr.matchAll(LOSS_LINE)].map(([, lost, received, destination, reasons]) => ({
    lost: Number(lost),
    received: Number(received),
    destination: destination ?? '',
    reasons: Object.fromEntries(
      (reasons ?? '').split(', ').map((part) => {
        const [n, reason] = part.split(' ');
        return [reason ?? '', Number(n)];
      }),
    ),
  }));
}

/**
 * Records still held at exit: never sent (`undelivered-at-exit`), or in a request not answered
 * yet — with the collector down, the exporter still retrying it (`in-flight-at-exit`).
 */
export function heldAtExit(reasons: Record<string, number>): number {
  return (reasons['undelivered-at-exit'] ?? 0) + (reasons['in-flight-at-exit'] ?? 0);
}

/** A logs URL on 127.0.0.1 where nothing listens. */
export async function closedLogsUrl(): Promise<string> {
  const [port] = await findFreePorts(1);
  return `http://127.0.0.1:${port}/v1/logs`;
}

/** The peak RSS a fixture printed at exit (FIXTURE_REPORT_RSS=1), in MiB. */
export function peakRssMiB(run: FixtureRun): number {
  const line = run.stdout.split('\n').find((l) => l.startsWith('{"peakRssKiB"'));
  const kib = (JSON.parse(line ?? '{}') as { peakRssKiB?: number }).peakRssKiB;
  if (kib === undefined) throw new Error(`no peak RSS reported; stdout:\n${run.stdout}`);
  return kib / 1024;
}

interface OtlpJsonRequest {
  resourceLogs?: {
    scopeLogs?: { logRecords?: { attributes?: { key: string; value?: OtlpAnyValue }[] }[] }[];
  }[];
}

/** The `log.record.uid` of each record of an OTLP/JSON request, by the record's index `i`. */
export function uidsInRequest(request: RecordedRequest): string[] {
  const body = JSON.parse(request.body.toString()) as OtlpJsonRequest;
  const byIndex = new Map<number, string>();
  for (const record of (body.resourceLogs ?? [])
    .flatMap((r) => r.scopeLogs ?? [])
    .flatMap((s) => s.logRecords ?? [])) {
    const attribute = (key: string) =>
      decodeAnyValue(record.attributes?.find((a) => a.key === key)?.value);
    byIndex.set(Number(attribute('i')), String(attribute('log.record.uid')));
  }
  return [...byIndex.keys()].sort((a, b) => a - b).map((i) => byIndex.get(i) ?? '');
}

/** The `i` of every record in an OTLP/JSON export request the fake received, sorted. */
export function indicesInRequest(request: RecordedRequest): number[] {
  const body = JSON.parse(request.body.toString()) as OtlpJsonRequest;
  return (body.resourceLogs ?? [])
    .flatMap((r) => r.scopeLogs ?? [])
    .flatMap((s) => s.logRecords ?? [])
    .map((record) => Number(decodeAnyValue(record.attributes?.find((a) => a.key === 'i')?.value)))
    .sort((a, b) => a - b);
}
