import type { Context } from '@opentelemetry/api';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { InvalidOptionError } from '../../core/invalid-option-error.js';
import { reportProblem } from '../../core/report-problem.js';
import {
  MAX_LOG_FIELD_NAME_LENGTH,
  MAX_LOG_FIELD_STRING_LENGTH,
  RESERVED_LOG_FIELD_NAMES,
  setLogFields,
} from '../../fields/log-fields.js';
import { readRawHeader } from '../carriers.js';
import type { RawHeaderList } from '../carriers.js';
import { readOwn } from '../header-value.js';
import { countLogField } from '../../fields/log-field-stats.js';

// RFC 9110 §5.1: a field name is a token.
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const WHERE = 'reading a log field header';

/**
 * The `logFieldHeaders` option, validated: which request headers become which log fields of
 * the request's context. Made once, with the middleware.
 *
 * @example
 * ```ts
 * const headers = LogFieldHeaders.resolve({ 'x-tenant-id': 'tenant' });
 * ctx = headers?.apply(ctx, req) ?? ctx;
 * ```
 */
export class LogFieldHeaders {
  private constructor(
    /** Lower-case header names. */
    private readonly headers: readonly string[],
    /** The field of each header, in the same order. */
    private readonly fields: readonly string[],
  ) {}

  /**
   * The resolved option, or `undefined` when it maps no header.
   *
   * @throws {InvalidOptionError} when it is not an object of header name → field name, a
   * header name is not an HTTP token, or a field name is empty, too long or reserved.
   */
  static resolve(value: unknown): LogFieldHeaders | undefined {
    if (value === undefined) return undefined;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new InvalidOptionError(
        'logFieldHeaders',
        'an object of header name → field name',
        value,
      );
    }
    const headers: string[] = [];
    const fields: string[] = [];
    for (const [header, field] of Object.entries(value as Record<string, unknown>)) {
      if (!TOKEN.test(header)) {
        throw new InvalidOptionError('logFieldHeaders', 'HTTP header names as keys', header);
      }
      if (
        typeof field !== 'string' ||
        field === '' ||
        field.length > MAX_LOG_FIELD_NAME_LENGTH ||
        RESERVED_LOG_FIELD_NAMES.has(field)
      ) {
        throw new InvalidOptionError(
          `logFieldHeaders.${header}`,
          `a log field name of 1 to ${MAX_LOG_FIELD_NAME_LENGTH} characters that is not a core or trace field name`,
          field,
        );
      }
      headers.push(header.toLowerCase());
      fields.push(field);
    }
    return headers.length === 0 ? undefined : new LogFieldHeaders(headers, fields);
  }

  /**
   * `ctx` with a log field for each mapped header the request carries with a usable value:
   * blanks trimmed, then 1 to 1024 printable ASCII characters (of repeated headers, the
   * first). Other values are skipped, reported through `diag`. Never throws.
   */
  apply(ctx: Context, req: IncomingMessage): Context {
    try {
      const source: IncomingHttpHeaders | RawHeaderList = Array.isArray(req.rawHeaders)
        ? req.rawHeaders
        : req.headers;
      let fields: Record<string, string> | undefined;
      for (let i = 0; i < this.headers.length; i++) {
        const name = this.headers[i];
        let raw = Array.isArray(source) ? readRawHeader(source, name) : readOwn(source, name);
        if (Array.isArray(raw)) raw = raw[0];
        if (typeof raw !== 'string') continue;
        const value = sanitize(raw, name);
        if (value !== undefined) (fields ??= {})[this.fields[i]] = value;
      }
      return fields === undefined ? ctx : setLogFields(ctx, fields);
    } catch (error) {
      reportProblem(WHERE, 'the request has no log fields from its headers', error);
      return ctx;
    }
  }
}

function sanitize(raw: string, header: string): string | undefined {
  // Checked before trimming, so a hostile megabyte of blanks is not scanned.
  if (raw.length > MAX_LOG_FIELD_STRING_LENGTH * 2) return reject(header, 'too long');
  const value = raw.trim();
  if (value === '') return undefined;
  if (value.length > MAX_LOG_FIELD_STRING_LENGTH) return reject(header, 'too long');
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 0x20 || code > 0x7e) return reject(header, 'not printable ASCII');
  }
  return value;
}

function reject(header: string, why: string): undefined {
  countLogField('invalidHeaderValue');
  reportProblem(WHERE, `ignored the value of ${header}: ${why}`);
  return undefined;
}
