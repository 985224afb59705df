import type { SpanContext } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { capturedContextOf } from '../../src/core/captured-context.js';
import { reportProblem } from '../../src/core/report-problem.js';
import { logTimeOf } from '../../src/core/log-time.js';
import { isValid, readAnySpanContext } from '../../src/core/span-context.js';
import { unreadableRecord } from '../mapping/mapped-log-record.js';
import type { MappedLogRecord } from '../mapping/mapped-log-record.js';
import type { LevelSeverity } from '../mapping/severity.js';
import { mapWinstonJson, mapWinstonRecord, winstonRecordSeverity } from '../mapping/winston.js';
import type { ResolvedWinstonMapping } from '../mapping/winston.js';
import { isProtobufExport } from '../options/resolve-otlp-options.js';
import type { ResolvedOtlpOptions } from '../options/resolve-otlp-options.js';
import { isPlainRecord } from './plain-record.js';
import { withLogFieldAttributes, withLogFieldMembers } from './log-field-record.js';

export { ProtobufRecordLines, fromProtobufRecordLine } from './record-encoder.js';

// Bytes (Uint8Array, which OTLP carries as bytesValue) do not survive JSON: tag them.
const BYTES_TAG = '__tracelink_bytes__';

function encodeBytes(_key: string, value: unknown): unknown {
  return value instanceof Uint8Array
    ? { [BYTES_TAG]: Buffer.from(value).toString('base64') }
    : value;
}

function decodeBytes(_key: string, value: unknown): unknown {
  if (
    value !== null &&
    typeof value === 'object' &&
    typeof (value as Record<string, unknown>)[BYTES_TAG] === 'string'
  ) {
    return new Uint8Array(Buffer.from((value as Record<string, string>)[BYTES_TAG], 'base64'));
  }
  return value;
}

/** Whether a mapped value holds bytes anywhere (the mapper's output is acyclic and bounded). */
function containsBytes(value: unknown): boolean {
  if (value instanceof Uint8Array) return true;
  if (value === null || typeof value !== 'object') return false;
  for (const item of Array.isArray(value) ? value : Object.values(value)) {
    if (containsBytes(item)) return true;
  }
  return false;
}

/**
 * A mapped record as JSON, for the records {@link RecordLineWriter} maps on the logging
 * thread (those holding more than plain data). A replacer function makes JSON.stringify
 * several times slower (the transport benchmark profiled this round trip at 7 µs a record),
 * so it is used only for the rare record that holds bytes.
 */
export function toRecordLine(record: MappedLogRecord): string {
  const withBytes = containsBytes(record.body) || containsBytes(record.attributes);
  return withBytes ? JSON.stringify(record, encodeBytes) : JSON.stringify(record);
}

/** The record of JSON written by {@link toRecordLine}; a reviver only when bytes were tagged. */
export function fromRecordLine(line: string): MappedLogRecord {
  return (
    line.includes(BYTES_TAG) ? JSON.parse(line, decodeBytes) : JSON.parse(line)
  ) as MappedLogRecord;
}

/**
 * How the winston transport's worker hands its records on: `protobuf` — each encoded as it is
 * mapped (`ProtobufRecordEncoder`) — when they go to an OTLP endpoint over a protobuf
 * protocol (`http/protobuf`, `grpc`), else `json` (mapped records, which the worker hands to
 * sdk-logs and its exporter: `http/json`, the console exporter).
 */
export type RecordLineFormat = 'json' | 'protobuf';

/** The format for the resolved options: `protobuf` for OTLP over http/protobuf or grpc. */
export function recordLineFormatFor(options: ResolvedOtlpOptions): RecordLineFormat {
  return isProtobufExport(options) && !options.disabled ? 'protobuf' : 'json';
}

// The line format (one line per record, no newline in it). A record of plain data:
//   'j' <severity> <text> <ids> <time> <JSON.stringify(info)>
//   severity  one char: 'A' + the SeverityNumber (0–24), or '-' without a level name
//   text      (after a severity) '.' when the severity text is the record's `level` field,
//             else '#' <length> ':' <the text as a JSON string of that length>
//   ids       '-', or '+' <trace id: 32> <span id: 16> <flags: 2 hex digits> <'r' remote | 'l'>,
//             of the span context captured at the call
//   time      the epoch milliseconds of the log call, in decimal (then the JSON's '{')
// Any other record, mapped on the logging thread: 'm' <toRecordLine(record)>.
const PLAIN = 'j';
const MAPPED = 'm';
const PLAIN_CODE = 0x6a;
const MAPPED_CODE = 0x6d;
const NO_SEVERITY = '-';
const NO_SEVERITY_CODE = 0x2d;
const SEVERITY_BASE = 0x41;
const SEVERITY_CHARS: readonly string[] = Array.from(
  { length: SeverityNumber.FATAL4 + 1 },
  (_, severity) => String.fromCharCode(SEVERITY_BASE + severity),
);
const TEXT_IS_LEVEL = '.';
const TEXT_GIVEN = '#';
const NO_IDS = '-';
const IDS = '+';
const IDS_LENGTH = 1 + 32 + 16 + 2 + 1;
const REMOTE = 'r';
const LOCAL = 'l';
const BRACE = '{';

/**
 * Writes winston records as lines for the transport's worker, doing on the logging thread
 * only what must be done there: what the JSON of `info` cannot carry — the severity (from the
 * logger's levels, which live on this thread, and winston's Symbol-keyed level), the span
 * context captured at the log call, and the time of the call — goes in a short header, and
 * the record itself is `JSON.stringify(info)`. The worker parses the line and maps it
 * ({@link readRecordLine}). That holds for a record of plain data (`isPlainRecord`, checked
 * first); any other — an Error, a Buffer, a Map, a BigInt, a cycle, a throwing getter — is
 * mapped here as before (`mapWinstonRecord`), so both give the worker the same record.
 *
 * @example
 * ```ts
 * const lines = new RecordLineWriter();
 * coalescer.push(lines.lineOf(info, mapping));
 * ```
 */
export class RecordLineWriter {
  // The header part of the last span context seen: logging inside one span, it is made once.
  private spanContext: SpanContext | undefined;
  private idsPart: string | undefined = NO_IDS;
  private time = Number.NaN;
  private timePart = '';

  /** The line of one record, without the newline. Never throws. */
  lineOf(info: object, mapping: ResolvedWinstonMapping): string {
    // A record a trace buffer held back keeps the time of its log call.
    const now = logTimeOf(info) ?? Date.now();
    if (isPlainRecord(info, mapping.limits)) {
      const line = this.plainLine(info, mapping, now);
      if (line !== undefined) return line;
    }
    return (
      MAPPED + toRecordLine(withLogFieldAttributes(mapWinstonRecord(info, mapping, now), info))
    );
  }

  private plainLine(info: object, mapping: ResolvedWinstonMapping, now: number) {
    const ids = this.idsOf(info);
    if (ids === undefined) return undefined;
    const severity = severityPart(info, winstonRecordSeverity(info, mapping));
    if (severity === undefined) return undefined;
    let json: string;
    try {
      json = withLogFieldMembers(JSON.stringify(info), info);
    } catch {
      return undefined; // a getter that throws the second time it is read
    }
    if (now !== this.time) {
      this.time = now;
      this.timePart = String(now);
    }
    return PLAIN + severity + ids + this.timePart + json;
  }

  /** The ids part of the header: '-' without a valid captured span; `undefined` to map here. */
  private idsOf(info: object): string | undefined {
    let spanContext: SpanContext | undefined;
    try {
      const captured = capturedContextOf(info);
      spanContext = captured === undefined ? undefined : readAnySpanContext(captured);
    } catch {
      return undefined; // a Proxy that throws on the symbol read: the mapping reports it
    }
    if (spanContext === undefined) return NO_IDS;
    if (spanContext !== this.spanContext) {
      this.spanContext = spanContext;
      this.idsPart = idsPartOf(spanContext);
    }
    return this.idsPart;
  }
}

// The same span context object is validated once (the trace fields writer does the same).
function idsPartOf(spanContext: SpanContext): string | undefined {
  if (!isValid(spanContext)) return NO_IDS;
  const { traceId, spanId, traceFlags } = spanContext;
  // Flags beyond one byte exist only in a hand-made span context: mapped here, as they are.
  if (!Number.isInteger(traceFlags) || traceFlags < 0 || traceFlags > 0xff) return undefined;
  const remote = spanContext.isRemote === true ? REMOTE : LOCAL;
  return IDS + traceId + spanId + traceFlags.toString(16).padStart(2, '0') + remote;
}

function severityPart(info: object, severity: LevelSeverity | undefined): string | undefined {
  if (severity === undefined) return NO_SEVERITY;
  const char = SEVERITY_CHARS[severity.severityNumber];
  if (char === undefined) return undefined;
  const text = severity.severityText;
  if (Object.hasOwn(info, 'level') && (info as { level?: unknown }).level === text) {
    return char + TEXT_IS_LEVEL;
  }
  // A level written with colours, or a name that is not the level field: rare.
  const json = JSON.stringify(text);
  return `${char}${TEXT_GIVEN}${json.length}:${json}`;
}

/**
 * The record of a line written by {@link RecordLineWriter}: for a record of plain data, its
 * JSON parsed and mapped (`mapWinstonJson`) with the header's severity, span context and
 * time, which gives the record `mapWinstonRecord` gave the `info` on the logging thread.
 * Never throws: a line it cannot read (not expected) is an `"[Unreadable]"` record, reported.
 *
 * @example
 * ```ts
 * const record = readRecordLine(line, resolveWinstonMapping({ fields }));
 * ```
 */
export function readRecordLine(line: string, mapping: ResolvedWinstonMapping): MappedLogRecord {
  try {
    const kind = line.charCodeAt(0);
    if (kind === PLAIN_CODE) return readPlainLine(line, mapping);
    if (kind === MAPPED_CODE) return fromRecordLine(line.slice(1));
    throw new Error(`a line of unknown kind ${JSON.stringify(line.slice(0, 1))}`);
  } catch (error) {
    reportProblem('reading a winston record line', 'it is emitted with body "[Unreadable]"', error);
    return unreadableRecord(Date.now());
  }
}

function readPlainLine(line: string, mapping: ResolvedWinstonMapping): MappedLogRecord {
  const severityCode = line.charCodeAt(1);
  const hasSeverity = severityCode !== NO_SEVERITY_CODE;
  let at = 2;
  let text: string | undefined;
  if (hasSeverity && line[at] === TEXT_GIVEN) {
    const colon = line.indexOf(':', at);
    const end = colon + 1 + Number(line.slice(at + 1, colon));
    text = JSON.parse(line.slice(colon + 1, end)) as string;
    at = end;
  } else if (hasSeverity) {
    at++; // TEXT_IS_LEVEL
  }
  let spanContext: SpanContext | undefined;
  if (line[at] === IDS) {
    spanContext = spanContextAt(line, at);
    at += IDS_LENGTH;
  } else {
    at++;
  }
  const brace = line.indexOf(BRACE, at);
  const now = Number(line.slice(at, brace));
  const fields = JSON.parse(line.slice(brace)) as Record<string, unknown>;
  const severity: LevelSeverity | undefined = !hasSeverity
    ? undefined
    : {
        severityNumber: severityCode - SEVERITY_BASE,
        severityText: text ?? (fields.level as string),
      };
  return mapWinstonJson(fields, { severity, spanContext, now }, mapping);
}

// The span context of the last ids read: one span's records share one object, and the
// mapping's match of it (see TraceFieldMatcher.read).
let lastIds = '';
let lastSpanContext: SpanContext | undefined;

function spanContextAt(line: string, at: number): SpanContext {
  if (lastSpanContext !== undefined && line.startsWith(lastIds, at)) return lastSpanContext;
  lastIds = line.slice(at, at + IDS_LENGTH);
  // Flat strings (toLowerCase copies; the ids are lower case already, or made so as the
  // mapping would): the encoder reads them a char at a time, slower from a slice of the line.
  lastSpanContext = {
    traceId: lastIds.slice(1, 33).toLowerCase(),
    spanId: lastIds.slice(33, 49).toLowerCase(),
    traceFlags: parseInt(lastIds.slice(49, 51), 16),
    // A log record carries no trace state; a span context read from a line has none.
    traceState: undefined,
    ...(lastIds[51] === REMOTE ? { isRemote: true } : {}),
  };
  return lastSpanContext;
}
