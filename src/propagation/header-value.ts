import { reportProblem } from '../core/report-problem.js';

/**
 * The longest header value a carrier hands to a propagator, in UTF-16 code units. Twice the W3C
 * Baggage limit (8,192 bytes, §3.3.2): every propagated header fits, while a hostile multi-megabyte
 * value is dropped before any propagator scans it.
 */
export const MAX_HEADER_VALUE_LENGTH = 16_384;

/** The most values one header may carry (repeated headers, array values) before the rest are dropped. */
export const MAX_HEADER_VALUES = 64;

/**
 * Turns one raw header value (string, Buffer, or an array of those) into what a `TextMapGetter`
 * returns. Anything else — numbers, objects, oversized values — becomes `undefined` with a `diag`
 * message. Never throws.
 */
export function toHeaderValue(raw: unknown, where: string): string | string[] | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!Array.isArray(raw)) return toText(raw, where);
  const values: string[] = [];
  for (const item of raw.slice(0, MAX_HEADER_VALUES) as unknown[]) {
    const text = toText(item, where);
    if (text !== undefined) values.push(text);
  }
  if (raw.length > MAX_HEADER_VALUES) {
    reportProblem(where, `kept the first ${MAX_HEADER_VALUES} values of a repeated header`);
  }
  if (values.length === 0) return undefined;
  return values.length === 1 ? values[0] : values;
}

function toText(raw: unknown, where: string): string | undefined {
  let text: string;
  if (typeof raw === 'string') text = raw;
  else if (Buffer.isBuffer(raw) || raw instanceof Uint8Array) {
    // Checked before decoding, so a huge Buffer is never turned into a huge string.
    if (raw.byteLength > MAX_HEADER_VALUE_LENGTH) return tooLong(where);
    text = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('utf8');
  } else {
    reportProblem(
      where,
      'ignored a header value that is neither a string nor a Buffer',
      typeof raw,
    );
    return undefined;
  }
  return text.length > MAX_HEADER_VALUE_LENGTH ? tooLong(where) : text;
}

function tooLong(where: string): undefined {
  reportProblem(where, `ignored a header value longer than ${MAX_HEADER_VALUE_LENGTH}`);
  return undefined;
}

/** Own-property read that never reaches `Object.prototype` (`constructor`, `__proto__`, …). */
export function readOwn(record: object, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(record, key)
    ? (record as Record<string, unknown>)[key]
    : undefined;
}

/**
 * Own-property write that cannot change a prototype: `__proto__` is defined as a plain data
 * property instead of being assigned through the setter.
 */
export function writeOwn(record: object, key: string, value: unknown): void {
  Object.defineProperty(record, key, {
    value,
    writable: true,
    enumerable: true,
    configurable: true,
  });
}

/** The own keys of a record of headers; a record whose keys cannot be read counts as empty. */
export function readKeys(record: object, where: string): string[] {
  try {
    return Object.keys(record);
  } catch (error) {
    reportProblem(where, 'treated the headers as empty', error);
    return [];
  }
}

// RFC 9110 §5.1 and §5.5: a field name is a token; a value here is visible ASCII, space or tab
// (Node and undici also pass 0x80-0xFF, which no propagation format uses). Char-code loops, not
// regular expressions: this runs for every header of every outgoing request.
const TCHAR = new Uint8Array(128);
for (const char of "!#$%&'*+-.^_`|~") TCHAR[char.charCodeAt(0)] = 1;
for (let code = 0x30; code <= 0x39; code++) TCHAR[code] = 1;
for (let code = 0x41; code <= 0x5a; code++) TCHAR[code] = 1;
for (let code = 0x61; code <= 0x7a; code++) TCHAR[code] = 1;

/**
 * Whether a header a propagator wrote can be sent: a token name and a value of visible ASCII,
 * space or tab. `http.request` and `fetch` throw on anything else (a CR LF, a NUL, an emoji),
 * which would turn a propagator's output into a failed request. Never throws.
 *
 * @example
 * ```ts
 * isSendableHeader('baggage', 'k=v;p\r\nX: 1'); // false
 * ```
 */
export function isSendableHeader(name: string, value: string): boolean {
  if (name.length === 0) return false;
  for (let i = 0; i < name.length; i++) {
    const code = name.charCodeAt(i);
    if (code >= 0x80 || TCHAR[code] !== 1) return false;
  }
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if ((code < 0x20 && code !== 0x09) || code > 0x7e) return false;
  }
  return true;
}
