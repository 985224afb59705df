import { diag } from '@opentelemetry/api';
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { convertJsonValue } from '../../transports/mapping/json-values.js';
import { mapPinoRecord } from '../../transports/mapping/pino.js';
import { resolvePinoMapping } from '../../transports/mapping/pino.js';
import type { PinoMappingOptions } from '../../transports/mapping/pino.js';
import { toAnyValue } from '../../transports/mapping/values.js';

const NOW = 1_800_000_000_000;
const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN = '00f067aa0ba902b7';
const GCP = 'logging.googleapis.com';

// Every field name the mapping reads, and names that touch prototypes, among arbitrary ones.
const fieldName = fc.oneof(
  fc.constantFrom(
    'level',
    'time',
    'severity',
    'log.level',
    'timestamp',
    '@timestamp',
    'msg',
    'message',
    'err',
    'error',
    'hostname',
    'pid',
    'trace_id',
    'span_id',
    'trace_flags',
    'traceId',
    'spanId',
    'traceFlags',
    'trace.id',
    'span.id',
    'trace',
    'span',
    `${GCP}/trace`,
    `${GCP}/spanId`,
    `${GCP}/trace_sampled`,
    '__proto__',
    'constructor',
    'toString',
  ),
  fc.string(),
);

// Values a pino line holds in those fields: valid and invalid ids, levels, times, errors.
const fieldValue = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }),
  fc.constantFrom(TRACE, TRACE.toUpperCase(), SPAN, '0'.repeat(32), '01', 'FF', 1, 30, 35),
  fc.constantFrom(`projects/p/traces/${TRACE}`, 'info', 'audit', '2023-11-14T22:13:20.0005Z'),
  fc.constantFrom('ERROR', 'WARNING', 'Audit', 'DEFAULT', { seconds: 1_700_000_000, nanos: 5 }),
  fc.constantFrom({ id: TRACE }, { id: SPAN, kind: 'db' }),
  fc.record(
    {
      type: fc.string(),
      message: fc.string(),
      stack: fc.string(),
      code: fc.jsonValue({ maxDepth: 2 }),
      cause: fc.record({ message: fc.string() }),
      aggregateErrors: fc.array(fc.record({ message: fc.string() }), { maxLength: 2 }),
    },
    { requiredKeys: [] },
  ),
);

// Trace fields of every profile, often valid, often several (so consumption is exercised).
const traceId = fc.constantFrom(TRACE, TRACE.toUpperCase(), 'aa'.repeat(16), 'x');
const spanId = fc.constantFrom(SPAN, SPAN.toUpperCase(), 'bb'.repeat(8), 'x');
const traceFields = fc.record(
  {
    trace_id: traceId,
    span_id: spanId,
    trace_flags: fc.constantFrom('01', '0x', 1, 256),
    traceId,
    spanId,
    traceFlags: fc.constantFrom('00', 'ff'),
    'trace.id': traceId,
    'span.id': spanId,
    trace: fc.record({ id: traceId, origin: fc.string() }, { requiredKeys: [] }),
    span: fc.record({ id: spanId }),
    [`${GCP}/trace`]: traceId.map((id) => `projects/p/traces/${id}`),
    [`${GCP}/spanId`]: spanId,
    [`${GCP}/trace_sampled`]: fc.boolean(),
  },
  { requiredKeys: [] },
);

// Through JSON text, as the transport's worker gets a line.
const jsonRecord = fc
  .tuple(traceFields, fc.array(fc.tuple(fieldName, fieldValue), { maxLength: 24 }))
  .map(([trace, entries]) => {
    const record = Object.fromEntries([...Object.entries(trace), ...entries]);
    return JSON.parse(JSON.stringify(record)) as object;
  });

const MAPPINGS: [string, PinoMappingOptions][] = [
  ['the default mapping', {}],
  ['messageKey "message" and errorKey "error"', { messageKey: 'message', errorKey: 'error' }],
  ['messageKey and errorKey naming read fields', { messageKey: 'level', errorKey: 'trace' }],
  ['tight limits', { maxDepth: 2, maxStringLength: 8 }],
  ['flattened attributes', { flattenAttributes: true, severityOverrides: { info: 10 } }],
];

describe('mapPinoRecord', () => {
  const warn = jest.spyOn(diag, 'warn').mockImplementation(() => {});
  afterAll(() => warn.mockRestore());

  describe('with fromJson', () => {
    it.each(MAPPINGS)('maps any JSON record as the general path does, with %s', (_, options) => {
      const mapping = resolvePinoMapping(options);
      fc.assert(
        fc.property(jsonRecord, (record) => {
          const fast = mapPinoRecord(record as Record<string, unknown>, mapping, NOW, true);
          const general = mapPinoRecord(record as Record<string, unknown>, mapping, NOW);
          // Not toStrictEqual: jest compares the `constructor` of two objects by identity, and
          // an own `constructor` field is a fresh object on each side.
          if (!isDeepStrictEqual(fast, general)) expect(fast).toEqual(general);
          expect(isDeepStrictEqual(fast, general)).toBe(true);
          expect(Object.keys(fast.attributes)).toStrictEqual(Object.keys(general.attributes));
        }),
        { numRuns: 300 },
      );
    });

    it('maps numbers JSON reads as infinite as the general path does', () => {
      const line = JSON.parse('{"level":30,"n":1e400,"m":[-1e400]}') as Record<string, unknown>;
      const mapping = resolvePinoMapping();
      const fast = mapPinoRecord(line, mapping, NOW, true);
      expect(fast).toStrictEqual(mapPinoRecord(line, mapping, NOW));
      expect(fast.attributes).toStrictEqual({ n: 'Infinity', m: ['-Infinity'] });
    });

    it('maps a typical pino line as the general path does', () => {
      const line = JSON.parse(
        JSON.stringify({
          level: 30,
          time: NOW,
          pid: 1,
          hostname: 'h',
          trace_id: TRACE,
          span_id: SPAN,
          trace_flags: '01',
          user: { id: 42 },
          err: { type: 'TypeError', message: 'bad', stack: 'TypeError: bad', code: 'E1' },
          msg: 'hi',
        }),
      ) as Record<string, unknown>;
      const mapping = resolvePinoMapping();
      const fast = mapPinoRecord(line, mapping, NOW, true);
      expect(fast).toStrictEqual(mapPinoRecord(line, mapping, NOW));
      expect(fast.spanContext).toEqual({
        traceId: TRACE,
        spanId: SPAN,
        traceFlags: 1,
        isRemote: true,
      });
      expect(fast.attributes).toStrictEqual({
        user: { id: 42 },
        err: { code: 'E1' },
        'exception.type': 'TypeError',
        'exception.message': 'bad',
        'exception.stacktrace': 'TypeError: bad',
      });
    });
  });
});

describe('convertJsonValue', () => {
  const warn = jest.spyOn(diag, 'warn').mockImplementation(() => {});
  afterAll(() => warn.mockRestore());

  it.each([
    ['the default limits', { maxStringLength: 1_048_576, maxDepth: 32 }],
    ['tight limits', { maxStringLength: 4, maxDepth: 2 }],
  ])('converts any parsed JSON value as toAnyValue does, with %s', (_, limits) => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const parsed: unknown = JSON.parse(JSON.stringify(value));
        const fast = convertJsonValue(parsed, 1, limits);
        expect(isDeepStrictEqual(fast, toAnyValue(parsed, limits))).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('hands a value JSON cannot hold to toAnyValue', () => {
    const limits = { maxStringLength: 1024, maxDepth: 32 };
    expect(convertJsonValue(10n, 1, limits)).toBe('10');
    expect(convertJsonValue(undefined, 1, limits)).toBeUndefined();
  });
});
