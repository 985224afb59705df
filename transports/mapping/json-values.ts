import type { AnyValue, AnyValueMap } from '@opentelemetry/api-logs';
import { reportProblem } from '../../src/core/report-problem.js';
import { setEntry, toAnyValue } from './values.js';
import type { ValueLimits } from './values.js';
import { limitString, TRUNCATED_DEPTH } from './safe-values.js';

/**
 * Parses a JSON line as `JSON.parse` does, but keeps every integer that a double cannot hold
 * exactly as its decimal string: a number whose digits are not what JavaScript prints for
 * the number they parse to. pino writes a BigInt field as a bare JSON number
 * (`"id":12345678901234567890123`, through safe-stable-stringify once `JSON.stringify` has
 * thrown on it), and `JSON.parse` would turn it into `1.2345678901234568e+22`; this gives
 * `'12345678901234567890123'`, the decimal string a BigInt becomes elsewhere in tracelink.
 * A JavaScript number logged by the app is unaffected: `JSON.stringify` writes exactly the
 * digits JavaScript prints for it (`2 ** 63` as `9223372036854776000`), so it stays that
 * number. Fractions and exponents (`1.5`, `1e+22`) stay numbers too.
 *
 * Throws what `JSON.parse` throws. Costs `JSON.parse` plus one pass over the parsed value; a
 * line holding an integer beyond ±(2^53 − 1) is scanned and parsed once more.
 *
 * @example
 * ```ts
 * parseJsonLine('{"n":12345678901234567890123,"m":42}'); // { n: '12345678901234567890123', m: 42 }
 * ```
 */
export function parseJsonLine(line: string): unknown {
  const value: unknown = JSON.parse(line);
  return holdsUnsafeNumber(value) ? JSON.parse(quoteInexactIntegers(line)) : value;
}

/**
 * Parses one line from pino. A line that is not a JSON object (another transport's output,
 * a truncated write) still becomes a record: one whose message is the raw line. An integer a
 * double cannot hold (a BigInt field) stays its exact decimal string ({@link parseJsonLine}).
 * Shared by the pino transport's worker and the in-process pino destination.
 *
 * @example
 * ```ts
 * parsePinoLine('not json', 'msg'); // { msg: 'not json' }
 * ```
 */
export function parsePinoLine(line: string, messageKey: string): Record<string, unknown> {
  try {
    const parsed = parseJsonLine(line);
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) {
      return parsed as Record<string, unknown>;
    }
  } catch (error) {
    reportProblem('parsing a pino line', 'its record has the raw line as its message', error);
  }
  return { [messageKey]: line };
}

const MAX_SAFE = Number.MAX_SAFE_INTEGER;

// Whether a parsed value holds a number beyond ±(2^53 − 1), the only ones a literal with more
// digits than a double holds can have become. JSON.parse output: a tree, no cycle.
function holdsUnsafeNumber(value: unknown): boolean {
  if (typeof value === 'number') return value > MAX_SAFE || value < -MAX_SAFE;
  if (typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (holdsUnsafeNumber(value[i])) return true;
    return false;
  }
  for (const key in value) {
    if (holdsUnsafeNumber((value as Record<string, unknown>)[key])) return true;
  }
  return false;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const MINUS = 0x2d;
// A JSON integer of at most 15 digits is always exact in a double, and printed back as is.
const INTEGER = /^-?\d{16,}$/;

// `line` (valid JSON: it parsed) with each integer literal outside strings that a double
// cannot hold exactly put in quotes, so that JSON.parse reads it as its decimal string.
function quoteInexactIntegers(line: string): string {
  let out = '';
  let copied = 0;
  let i = 0;
  while (i < line.length) {
    const code = line.charCodeAt(i);
    if (code === QUOTE) {
      i = endOfString(line, i);
    } else if (code === MINUS || isDigit(code)) {
      const start = i;
      do i++;
      while (i < line.length && isNumberPart(line.charCodeAt(i)));
      const literal = line.slice(start, i);
      if (INTEGER.test(literal) && String(Number(literal)) !== literal) {
        out += `${line.slice(copied, start)}"${literal}"`;
        copied = i;
      }
    } else {
      i++;
    }
  }
  return out + line.slice(copied);
}

// The index after the closing quote of the string that opens at `at`.
function endOfString(line: string, at: number): number {
  let i = at + 1;
  while (i < line.length) {
    const code = line.charCodeAt(i);
    if (code === BACKSLASH) i += 2;
    else if (code === QUOTE) return i + 1;
    else i++;
  }
  return i;
}

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

// Digits, and the `.`, `e`, `E`, `+` and `-` of a fraction or an exponent.
function isNumberPart(code: number): boolean {
  return (
    isDigit(code) ||
    code === 0x2e ||
    code === 0x65 ||
    code === 0x45 ||
    code === 0x2b ||
    code === MINUS
  );
}

/**
 * Converts a value that `JSON.parse` returned, with the outcome `toAnyValue` gives it, on a
 * shorter path: such a value is a string, a finite or infinite (`1e400`) number, a boolean,
 * `null`, an array or an object whose own keys are all enumerable data properties with
 * `Object.prototype` above them. No cycle, getter, Proxy, Date, Buffer or `toJSON` can occur,
 * so none is looked for, and no field needs an own-property check or a try/catch. Anything
 * else that slips in (the caller's contract broken) is handed to `toAnyValue` as it is.
 *
 * Why: for a record parsed from a pino line these checks were most of the attribute
 * conversion (`npm run bench -- worker`; see mapPinoJson in pino.ts for the figures).
 *
 * @example
 * ```ts
 * convertJsonValue(JSON.parse('{"a":[1,"x"]}'), 1, { maxStringLength: 1024, maxDepth: 32 });
 * // { a: [1, 'x'] }
 * ```
 */
export function convertJsonValue(value: unknown, depth: number, limits: ValueLimits): AnyValue {
  switch (typeof value) {
    case 'string':
      return limitString(value, limits.maxStringLength);
    case 'number':
      return Number.isFinite(value) ? value : String(value);
    case 'boolean':
      return value;
    case 'object':
      if (value === null) return null;
      if (depth > limits.maxDepth) {
        // The words of ValueConverter's report, so both paths report alike.
        reportProblem('mapping a deeply nested value', `it is mapped as "${TRUNCATED_DEPTH}"`);
        return TRUNCATED_DEPTH;
      }
      if (Array.isArray(value)) return convertJsonList(value, depth, limits);
      return convertJsonFields(value, depth, limits, undefined);
    default:
      return toAnyValue(value, limits, depth);
  }
}

/**
 * The fields of a JSON object (a record, or an error kept under a key) as a fresh map, but
 * those named in `skip`; its fields are at `depth + 1`. `ValueConverter.convertRecord`'s
 * outcome for such an object.
 *
 * @example
 * ```ts
 * convertJsonFields({ type: 'Error', code: 'E1' }, 1, limits, ['type']); // { code: 'E1' }
 * ```
 */
export function convertJsonFields(
  source: object,
  depth: number,
  limits: ValueLimits,
  skip: readonly string[] | undefined,
): AnyValueMap {
  const out: AnyValueMap = {};
  const keys = Object.keys(source);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    if (skip?.includes(key) === true) continue;
    const value = convertJsonValue((source as Record<string, unknown>)[key], depth + 1, limits);
    if (value !== undefined) setEntry(out, limitString(key, limits.maxStringLength), value);
  }
  return out;
}

function convertJsonList(list: readonly unknown[], depth: number, limits: ValueLimits): AnyValue[] {
  const out: AnyValue[] = [];
  for (let i = 0; i < list.length; i++) {
    const value = convertJsonValue(list[i], depth + 1, limits);
    out.push(value === undefined ? null : value);
  }
  return out;
}
