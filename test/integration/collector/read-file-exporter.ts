import { readFile } from 'node:fs/promises';

/** One log record as the collector wrote it, flattened and with every AnyValue decoded. */
export interface ReceivedLogRecord {
  /** Nanoseconds since the epoch as a decimal string; `'0'` when absent. */
  timeUnixNano: string;
  /** Nanoseconds since the epoch as a decimal string; `'0'` when absent. */
  observedTimeUnixNano: string;
  /** `0` (unspecified) when absent. */
  severityNumber: number;
  severityText: string;
  /** The decoded body; `undefined` when the record has none. */
  body: unknown;
  attributes: Record<string, unknown>;
  eventName: string;
  /** Lower-case hex, `''` when absent. */
  traceId: string;
  /** Lower-case hex, `''` when absent. */
  spanId: string;
  /** W3C trace flags; the collector omits the field when it is 0. */
  flags: number;
  /** The decoded resource attributes. */
  resource: Record<string, unknown>;
  scope: { name: string; version: string };
}

/** OTLP/JSON AnyValue (opentelemetry/proto/common/v1/common.proto), as the file exporter writes it. */
export interface OtlpAnyValue {
  stringValue?: string;
  boolValue?: boolean;
  // int64 is a decimal string in OTLP/JSON (proto3 JSON mapping); numbers are accepted too.
  intValue?: string | number;
  // proto3 JSON writes NaN and the infinities as strings.
  doubleValue?: number | string;
  arrayValue?: { values?: OtlpAnyValue[] };
  kvlistValue?: { values?: OtlpKeyValue[] };
  bytesValue?: string;
}

interface OtlpKeyValue {
  key: string;
  value?: OtlpAnyValue;
}

interface OtlpLogRecord {
  timeUnixNano?: string;
  observedTimeUnixNano?: string;
  severityNumber?: number;
  severityText?: string;
  body?: OtlpAnyValue;
  attributes?: OtlpKeyValue[];
  eventName?: string;
  traceId?: string;
  spanId?: string;
  flags?: number;
}

interface OtlpLogsLine {
  resourceLogs?: {
    resource?: { attributes?: OtlpKeyValue[] };
    scopeLogs?: {
      scope?: { name?: string; version?: string };
      logRecords?: OtlpLogRecord[];
    }[];
  }[];
}

/**
 * Decodes an OTLP/JSON AnyValue to plain JS: int64 to a number when it is a safe integer (else
 * the exact decimal string), bytes stay base64, a kvlist becomes an object, an empty value
 * `undefined`.
 *
 * @example
 * decodeAnyValue({ kvlistValue: { values: [{ key: 'n', value: { intValue: '42' } }] } }); // { n: 42 }
 */
export function decodeAnyValue(value: OtlpAnyValue | undefined): unknown {
  if (value === undefined) return undefined;
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.boolValue !== undefined) return value.boolValue;
  if (value.intValue !== undefined) {
    const n = Number(value.intValue);
    return Number.isSafeInteger(n) ? n : String(value.intValue);
  }
  if (value.doubleValue !== undefined) return Number(value.doubleValue);
  if (value.arrayValue !== undefined) return (value.arrayValue.values ?? []).map(decodeAnyValue);
  if (value.kvlistValue !== undefined) return decodeKeyValues(value.kvlistValue.values);
  if (value.bytesValue !== undefined) return value.bytesValue;
  return undefined;
}

function decodeKeyValues(values: OtlpKeyValue[] | undefined): Record<string, unknown> {
  return Object.fromEntries((values ?? []).map(({ key, value }) => [key, decodeAnyValue(value)]));
}

function flattenLine(line: OtlpLogsLine): ReceivedLogRecord[] {
  return (line.resourceLogs ?? []).flatMap((resourceLogs) => {
    const resource = decodeKeyValues(resourceLogs.resource?.attributes);
    return (resourceLogs.scopeLogs ?? []).flatMap((scopeLogs) => {
      const scope = { name: scopeLogs.scope?.name ?? '', version: scopeLogs.scope?.version ?? '' };
      return (scopeLogs.logRecords ?? []).map((record): ReceivedLogRecord => ({
        timeUnixNano: record.timeUnixNano ?? '0',
        observedTimeUnixNano: record.observedTimeUnixNano ?? '0',
        severityNumber: record.severityNumber ?? 0,
        severityText: record.severityText ?? '',
        body: decodeAnyValue(record.body),
        attributes: decodeKeyValues(record.attributes),
        eventName: record.eventName ?? '',
        traceId: record.traceId ?? '',
        spanId: record.spanId ?? '',
        flags: record.flags ?? 0,
        resource,
        scope,
      }));
    });
  });
}

/**
 * Parses the file exporter's `format: json` output: one ExportLogsServiceRequest per line. A
 * last line without its newline may still be being written, so it is skipped unless it parses;
 * any other line that does not parse throws.
 *
 * @example
 * parseFileExporterOutput(readFileSync(logsFile, 'utf8')).map((r) => r.body);
 */
export function parseFileExporterOutput(text: string): ReceivedLogRecord[] {
  const lines = text.split('\n');
  const last = lines.pop() ?? '';
  const records = lines.flatMap((line, index) => {
    if (line.trim() === '') return [];
    try {
      return flattenLine(JSON.parse(line) as OtlpLogsLine);
    } catch (error) {
      throw new Error(`file exporter output line ${index + 1} is not OTLP JSON: ${String(error)}`);
    }
  });
  try {
    if (last.trim() !== '') records.push(...flattenLine(JSON.parse(last) as OtlpLogsLine));
  } catch {
    // A partially written last line: the next read will see it whole.
  }
  return records;
}

/**
 * Reads and parses the file exporter's output file; `[]` while the file does not exist yet.
 *
 * @example
 * const records = await readFileExporterOutput('/tmp/otelcol-x/logs.jsonl');
 */
export async function readFileExporterOutput(path: string): Promise<ReceivedLogRecord[]> {
  try {
    return parseFileExporterOutput(await readFile(path, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}
