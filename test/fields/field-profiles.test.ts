import type { SpanContext } from '@opentelemetry/api';
import { InvalidOptionError } from 'tracelink';
import {
  resolveFieldLayouts,
  resolveFieldProfile,
} from '../../src/fields/resolve-field-profile.js';
import type { FieldLayout } from '../../src/fields/field-profile.js';
import type { TraceFieldOptions } from 'tracelink';

const SAMPLED: SpanContext = {
  traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
  spanId: '00f067aa0ba902b7',
  traceFlags: 1,
};
const UNSAMPLED: SpanContext = { ...SAMPLED, traceFlags: 0 };
// Ids beyond 2^53, where a Number would round: the decimal strings must be exact.
const HIGH_BITS: SpanContext = {
  traceId: '0000000000000000ffffffffffffffff',
  spanId: 'ffffffffffffffff',
  traceFlags: 3,
};

function fieldsOf(options: TraceFieldOptions, sc: SpanContext, env: NodeJS.ProcessEnv = {}) {
  const profile = resolveFieldProfile(options, env);
  const values = profile.values(sc);
  return Object.fromEntries(profile.keys.map((key, i) => [key, values[i]]));
}

describe('resolveFieldProfile', () => {
  describe('with each built-in profile', () => {
    it.each<[string, TraceFieldOptions, SpanContext, Record<string, unknown>]>([
      [
        'default (otel)',
        {},
        SAMPLED,
        { trace_id: SAMPLED.traceId, span_id: SAMPLED.spanId, trace_flags: '01' },
      ],
      [
        'otel, unsampled',
        { fields: 'otel' },
        UNSAMPLED,
        { trace_id: SAMPLED.traceId, span_id: SAMPLED.spanId, trace_flags: '00' },
      ],
      [
        'otel, flags 03',
        { fields: 'otel' },
        HIGH_BITS,
        { trace_id: HIGH_BITS.traceId, span_id: HIGH_BITS.spanId, trace_flags: '03' },
      ],
      [
        'camel',
        { fields: 'camel' },
        SAMPLED,
        { traceId: SAMPLED.traceId, spanId: SAMPLED.spanId, traceFlags: '01' },
      ],
      [
        'ecs',
        { fields: 'ecs' },
        SAMPLED,
        { 'trace.id': SAMPLED.traceId, 'span.id': SAMPLED.spanId },
      ],
      [
        'datadog (spec vector)',
        { fields: 'datadog' },
        SAMPLED,
        { 'dd.trace_id': '11803532876627986230', 'dd.span_id': '67667974448284343' },
      ],
      [
        'datadog beyond 2^53',
        { fields: 'datadog' },
        HIGH_BITS,
        { 'dd.trace_id': '18446744073709551615', 'dd.span_id': '18446744073709551615' },
      ],
      [
        'datadog, 128-bit hex',
        { fields: 'datadog', datadogTraceId: 'hex128' },
        SAMPLED,
        { 'dd.trace_id': SAMPLED.traceId, 'dd.span_id': '67667974448284343' },
      ],
      [
        'gcp, sampled',
        { fields: 'gcp', gcpProjectId: 'my-proj' },
        SAMPLED,
        {
          'logging.googleapis.com/trace': `projects/my-proj/traces/${SAMPLED.traceId}`,
          'logging.googleapis.com/spanId': SAMPLED.spanId,
          'logging.googleapis.com/trace_sampled': true,
        },
      ],
      [
        'gcp, unsampled',
        { fields: 'gcp', gcpProjectId: 'my-proj' },
        UNSAMPLED,
        {
          'logging.googleapis.com/trace': `projects/my-proj/traces/${SAMPLED.traceId}`,
          'logging.googleapis.com/spanId': SAMPLED.spanId,
          'logging.googleapis.com/trace_sampled': false,
        },
      ],
      [
        'custom, all three',
        { fields: { traceId: 't', spanId: 's', traceFlags: 'f' } },
        SAMPLED,
        { t: SAMPLED.traceId, s: SAMPLED.spanId, f: '01' },
      ],
      [
        'custom, trace id only',
        { fields: { traceId: 'traceparent_id' } },
        SAMPLED,
        { traceparent_id: SAMPLED.traceId },
      ],
    ])('%s', (_name, options, sc, expected) => {
      expect(fieldsOf(options, sc)).toEqual(expected);
    });

    it.each<[string, TraceFieldOptions]>([
      ['otel', { fields: 'otel' }],
      ['camel', { fields: 'camel' }],
      ['ecs', { fields: 'ecs' }],
      ['datadog', { fields: 'datadog' }],
      ['gcp', { fields: 'gcp', gcpProjectId: 'p' }],
    ])('copies the %s fields with exactly its keys', (_name, options) => {
      const profile = resolveFieldProfile(options, {});
      const fields = fieldsOf(options, SAMPLED);
      const copy = profile.copy?.(fields);
      expect(copy).toEqual(fields);
      expect(copy).not.toBe(fields);
    });

    it('takes the gcp project id from GOOGLE_CLOUD_PROJECT when no option is given', () => {
      expect(
        fieldsOf({ fields: 'gcp' }, SAMPLED, { GOOGLE_CLOUD_PROJECT: 'env-proj' }),
      ).toMatchObject({
        'logging.googleapis.com/trace': `projects/env-proj/traces/${SAMPLED.traceId}`,
      });
    });

    it('prefers the option over GOOGLE_CLOUD_PROJECT', () => {
      const fields = fieldsOf({ fields: 'gcp', gcpProjectId: 'opt' }, SAMPLED, {
        GOOGLE_CLOUD_PROJECT: 'env',
      });
      expect(fields['logging.googleapis.com/trace']).toBe(`projects/opt/traces/${SAMPLED.traceId}`);
    });
  });

  describe('with invalid options', () => {
    it.each<[string, TraceFieldOptions, string]>([
      ['an unknown profile', { fields: 'splunk' as never }, 'fields'],
      ['a non-object custom', { fields: 42 as never }, 'fields'],
      ['an array', { fields: ['trace_id'] as never }, 'fields'],
      ['an empty custom', { fields: {} }, 'fields'],
      ['an empty key', { fields: { traceId: '' } }, 'fields.traceId'],
      ['an unknown custom part', { fields: { parentId: 'p' } as never }, 'fields.parentId'],
      ['a duplicated key', { fields: { traceId: 'id', spanId: 'id' } }, 'fields.spanId'],
      ['gcp without a project id', { fields: 'gcp' }, 'gcpProjectId'],
      ['gcp with a blank project id', { fields: 'gcp', gcpProjectId: '  ' }, 'gcpProjectId'],
      [
        'an unknown datadog format',
        { fields: 'datadog', datadogTraceId: 'hex' as never },
        'datadogTraceId',
      ],
    ])('throws InvalidOptionError naming the option for %s', (_name, options, option) => {
      let thrown: unknown;
      try {
        resolveFieldProfile(options, {});
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(InvalidOptionError);
      expect(thrown).toMatchObject({ name: 'InvalidOptionError', option });
      expect((thrown as Error).message).toContain(`\`${option}\``);
    });
  });
});

// The layouts' own-field reader, as the record mapping passes it (it decides about getters).
const readOwn = (record: object, key: string): unknown =>
  Object.hasOwn(record, key) ? (record as Record<string, unknown>)[key] : undefined;

function readBack(layouts: readonly FieldLayout[], record: object) {
  for (const layout of layouts) {
    const read = layout.read(record, readOwn);
    if (read !== undefined) return { ...read, keys: layout.keys };
  }
  return undefined;
}

describe('each profile', () => {
  describe('reads back what it writes', () => {
    it.each<[string, TraceFieldOptions, SpanContext, number]>([
      ['otel', { fields: 'otel' }, HIGH_BITS, 3],
      ['camel', { fields: 'camel' }, SAMPLED, 1],
      ['ecs (no flags field: 0)', { fields: 'ecs' }, SAMPLED, 0],
      ['gcp, sampled', { fields: 'gcp', gcpProjectId: 'p' }, SAMPLED, 1],
      ['gcp, unsampled', { fields: 'gcp', gcpProjectId: 'p' }, UNSAMPLED, 0],
      ['custom, all three', { fields: { traceId: 't', spanId: 's', traceFlags: 'f' } }, SAMPLED, 1],
      ['custom, no flags (0)', { fields: { traceId: 't', spanId: 's' } }, SAMPLED, 0],
    ])('%s', (_name, options, sc, traceFlags) => {
      const profile = resolveFieldProfile(options, {});
      const read = readBack(profile.layouts, fieldsOf(options, sc));
      expect(read).toMatchObject({ traceId: sc.traceId, spanId: sc.spanId, traceFlags });
      // Every field written is consumed: none stays an attribute.
      const consumed = read?.keys.filter((_, i) => ((read?.consumed ?? 0) & (1 << i)) !== 0);
      expect(consumed).toEqual(profile.keys);
    });
  });

  it.each<[string, TraceFieldOptions]>([
    ['datadog: a decimal trace id is half of a 128-bit one', { fields: 'datadog' }],
    ['datadog, hex128', { fields: 'datadog', datadogTraceId: 'hex128' }],
    ['custom with no span id', { fields: { traceId: 't', traceFlags: 'f' } }],
  ])('reads nothing back for %s', (_name, options) => {
    expect(resolveFieldProfile(options, {}).layouts).toEqual([]);
  });

  it('reads ECS’s nested form too, consuming no top-level field', () => {
    const nested = { trace: { id: SAMPLED.traceId }, span: { id: SAMPLED.spanId, name: 'db' } };
    expect(readBack(resolveFieldProfile({ fields: 'ecs' }).layouts, nested)).toMatchObject({
      traceId: SAMPLED.traceId,
      spanId: SAMPLED.spanId,
      consumed: 0,
      keys: ['trace', 'span'],
    });
  });
});

describe('resolveFieldLayouts', () => {
  const builtin = resolveFieldLayouts(undefined).map((layout) => layout.keys);

  it('reads every built-in profile whatever profile is named, otel first', () => {
    expect(builtin[0]).toEqual(['trace_id', 'span_id', 'trace_flags']);
    for (const name of ['otel', 'camel', 'ecs', 'datadog', 'gcp'] as const) {
      expect(resolveFieldLayouts(name).map((layout) => layout.keys)).toEqual(builtin);
    }
  });

  it('reads custom names first, then the built-in profiles', () => {
    const layouts = resolveFieldLayouts({ traceId: 'tid', spanId: 'sid' });
    expect(layouts.map((layout) => layout.keys)).toEqual([['tid', 'sid'], ...builtin]);
  });

  it.each<[string, unknown, string]>([
    ['an unknown profile', 'splunk', 'fields'],
    ['an empty custom', {}, 'fields'],
    ['a duplicated key', { traceId: 'id', spanId: 'id' }, 'fields.spanId'],
  ])('throws InvalidOptionError for %s, as the writers do', (_name, fields, option) => {
    expect(() => resolveFieldLayouts(fields)).toThrow(InvalidOptionError);
    expect(() => resolveFieldLayouts(fields)).toThrow(`\`${option}\``);
  });
});
