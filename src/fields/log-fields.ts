import { context } from '@opentelemetry/api';
import type { Context } from '@opentelemetry/api';
import { InvalidOptionError } from '../core/invalid-option-error.js';
import { reportProblem } from '../core/report-problem.js';
import {
  CAMEL_PROFILE,
  datadogProfile,
  ECS_PROFILE,
  gcpProfile,
  OTEL_PROFILE,
} from './builtin-profiles.js';
import { countLogField } from './log-field-stats.js';

/** A value a log field may hold: what every log format and OTLP attribute carries as is. */
export type LogFieldValue = string | number | boolean;

/**
 * Fields for {@link withLogFields} and {@link setLogFields}: name → value. A value left
 * `undefined` is not set by this scope (an enclosing scope's value stays).
 */
export type LogFields = Readonly<Record<string, LogFieldValue | undefined>>;

/**
 * The fields of one scope, merged with the enclosing scopes' and validated once, when the
 * scope is made: the loggers only copy them.
 */
export interface LogFieldScope {
  /** Field names, in the order they were first set (an enclosing scope's first). */
  readonly keys: readonly string[];
  /** The value of each of {@link keys}, in the same order. */
  readonly values: readonly LogFieldValue[];
  /** `"name":value` of each field, made by the first JSON writer that needs it. */
  members: readonly string[] | undefined;
}

/**
 * Context key of the log fields. `Symbol.for`, like the API's `createContextKey`, so the ESM
 * and CommonJS builds of tracelink (and the OTLP transports) find the same fields.
 */
const LOG_FIELDS_KEY: symbol = Symbol.for('tracelink.log-fields');

/** The most fields a scope holds, enclosing scopes' included; more are left out, counted. */
export const MAX_LOG_FIELDS = 32;
/** The longest field name kept, in characters. */
export const MAX_LOG_FIELD_NAME_LENGTH = 128;
/** Longer string values are cut to this many characters, counted. */
export const MAX_LOG_FIELD_STRING_LENGTH = 1024;

/**
 * Names a log field may not have: the core fields of pino and winston lines (`level`, `time`,
 * `msg`, `message`, `timestamp`, `pid`, `hostname`) and every name a built-in field profile
 * writes the trace context under. A logger's own options may reserve more (a custom profile,
 * `requestId`, `baggage`): those fields are left out of that logger's lines only.
 */
export const RESERVED_LOG_FIELD_NAMES: ReadonlySet<string> = new Set([
  'level',
  'time',
  'msg',
  'message',
  'timestamp',
  'pid',
  'hostname',
  // Object.assign onto a record would set its prototype instead of a field.
  '__proto__',
  ...OTEL_PROFILE.keys,
  ...CAMEL_PROFILE.keys,
  ...ECS_PROFILE.keys,
  ...datadogProfile('decimal').keys,
  ...gcpProfile('project').keys,
]);

const WHERE = 'setting log fields';

/**
 * `ctx` with `fields` merged into its log fields: a name already set by an enclosing scope
 * takes the new value, in its old place. What cannot be kept is left out, counted
 * (`logFieldStats()`) and reported through `diag`: a name that is empty, longer than 128
 * characters or reserved (`level`, `time`, `msg`, `message`, `timestamp`, `pid`, `hostname`,
 * the trace field names of the built-in profiles); a value that is not a string, a finite
 * number or a boolean (`null`, objects, arrays, BigInt, `NaN`…); fields past 32. A string
 * longer than 1024 characters is cut to 1024. Never throws: `fields` that is not an object
 * leaves `ctx` as it is.
 *
 * Log fields stay in this process: they do not travel with outgoing requests (see baggage).
 *
 * @example
 * ```ts
 * fastify.addHook('onRequest', (request, reply, done) => {
 *   context.with(setLogFields(context.active(), { tenant: request.headers['x-tenant'] }), done);
 * });
 * ```
 */
export function setLogFields(ctx: Context, fields: LogFields): Context {
  try {
    const parent = scopeOf(ctx);
    const scope = mergeScope(parent, fields);
    return scope === parent || scope === undefined ? ctx : ctx.setValue(LOG_FIELDS_KEY, scope);
  } catch (error) {
    reportProblem(WHERE, 'the context keeps the fields it had', error);
    return ctx;
  }
}

/**
 * Runs `fn` (with `args`) in the active context plus `fields`, and returns what it returns:
 * every line logged inside it — in any module, through any logger that uses tracelink's mixin
 * or formats, or an OTLP transport — carries the fields, also after `await`s and in callbacks
 * started inside it. Nested scopes merge; the innermost value of a name wins. The fields are
 * checked as {@link setLogFields} checks them; nothing is thrown for them.
 *
 * @throws {InvalidOptionError} when `fn` is not a function.
 * @example
 * ```ts
 * import { withLogFields } from 'tracelink';
 *
 * await withLogFields({ tenant: 'acme', orderId: 42 }, async () => {
 *   logger.info('charging'); // {…,"tenant":"acme","orderId":42,"msg":"charging"}
 * });
 * ```
 */
export function withLogFields<A extends unknown[], R>(
  fields: LogFields,
  fn: (...args: A) => R,
  ...args: A
): R {
  if (typeof fn !== 'function') throw new InvalidOptionError('fn', 'a function', fn);
  return context.with(setLogFields(context.active(), fields), fn, undefined, ...args);
}

// One frozen empty result, as traceFields has: nothing is allocated outside a scope.
const NO_FIELDS: Readonly<Record<string, LogFieldValue>> = Object.freeze({});

/**
 * The log fields of `ctx` (the active context by default), as a fresh object, or a shared
 * frozen `{}` outside any scope. Never throws.
 *
 * @example
 * ```ts
 * withLogFields({ tenant: 'acme' }, () => getLogFields()); // { tenant: 'acme' }
 * ```
 */
export function getLogFields(
  ctx: Context = context.active(),
): Readonly<Record<string, LogFieldValue>> {
  const scope = scopeOf(ctx);
  if (scope === undefined) return NO_FIELDS;
  const fields: Record<string, LogFieldValue> = {};
  for (let i = 0; i < scope.keys.length; i++) fields[scope.keys[i]] = scope.values[i];
  return fields;
}

/**
 * The log field scope of `ctx`, or `undefined`. Never throws (a hand-made context whose
 * `getValue` throws holds no fields).
 */
export function scopeOf(ctx: Context): LogFieldScope | undefined {
  try {
    const value = ctx.getValue(LOG_FIELDS_KEY);
    return isScope(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** `ctx` without log fields. */
export function withoutLogFields(ctx: Context): Context {
  return scopeOf(ctx) === undefined ? ctx : ctx.deleteValue(LOG_FIELDS_KEY);
}

function isScope(value: unknown): value is LogFieldScope {
  return (
    typeof value === 'object' &&
    value !== null &&
    Array.isArray((value as LogFieldScope).keys) &&
    Array.isArray((value as LogFieldScope).values)
  );
}

function mergeScope(
  parent: LogFieldScope | undefined,
  fields: LogFields,
): LogFieldScope | undefined {
  if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) {
    countLogField('invalidFields');
    reportProblem(`${WHERE} (not an object)`, 'nothing is set', fields);
    return parent;
  }
  const keys = parent === undefined ? [] : [...parent.keys];
  const values = parent === undefined ? [] : [...parent.values];
  let changed = false;
  for (const name of Object.keys(fields)) {
    const raw = fields[name];
    if (raw === undefined) continue;
    if (!usableName(name)) continue;
    const value = usableValue(name, raw);
    if (value === undefined) continue;
    const at = keys.indexOf(name);
    if (at !== -1) {
      values[at] = value;
    } else if (keys.length < MAX_LOG_FIELDS) {
      keys.push(name);
      values.push(value);
    } else {
      countLogField('overLimit');
      reportProblem(
        `${WHERE} (more than ${MAX_LOG_FIELDS})`,
        `"${name}" and the fields after it are left out`,
      );
      continue;
    }
    changed = true;
  }
  countLogField('scopes');
  return changed ? { keys, values, members: undefined } : parent;
}

function usableName(name: string): boolean {
  if (name === '' || name.length > MAX_LOG_FIELD_NAME_LENGTH) {
    countLogField('invalidName');
    reportProblem(
      `${WHERE} (a name of 0 or more than ${MAX_LOG_FIELD_NAME_LENGTH} characters)`,
      'the field is left out',
      name.slice(0, 64),
    );
    return false;
  }
  if (RESERVED_LOG_FIELD_NAMES.has(name)) {
    countLogField('reservedName');
    reportProblem(
      `${WHERE} (a reserved name)`,
      `"${name}" is a core or trace field, which a log field may not replace: it is left out`,
    );
    return false;
  }
  return true;
}

function usableValue(name: string, value: unknown): LogFieldValue | undefined {
  switch (typeof value) {
    case 'boolean':
      return value;
    case 'number':
      if (Number.isFinite(value)) return value;
      break;
    case 'string':
      if (value.length <= MAX_LOG_FIELD_STRING_LENGTH) return value;
      countLogField('truncated');
      reportProblem(
        `${WHERE} (a string longer than ${MAX_LOG_FIELD_STRING_LENGTH} characters)`,
        `the value of "${name}" is cut to ${MAX_LOG_FIELD_STRING_LENGTH} characters`,
      );
      return value.slice(0, MAX_LOG_FIELD_STRING_LENGTH);
  }
  countLogField('invalidValue');
  reportProblem(
    `${WHERE} (a value other than a string, a finite number or a boolean)`,
    `"${name}" is left out`,
    value === null ? 'null' : typeof value,
  );
  return undefined;
}
