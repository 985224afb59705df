import { context, diag, DiagLogLevel, propagation, trace } from '@opentelemetry/api';
import { TraceFieldWriter } from 'tracelink';
import { EXAMPLE_SPAN_CONTEXT, useTracing } from '../helpers/tracing.js';

useTracing();

const spanCtx = trace.setSpanContext(context.active(), EXAMPLE_SPAN_CONTEXT);
const EXAMPLE_FIELDS = {
  trace_id: EXAMPLE_SPAN_CONTEXT.traceId,
  span_id: EXAMPLE_SPAN_CONTEXT.spanId,
  trace_flags: '01',
};

describe('TraceFieldWriter', () => {
  describe('fieldsFor', () => {
    it('returns a fresh object each time, so a caller’s mutation never leaks', () => {
      const writer = new TraceFieldWriter();
      const first = writer.fieldsFor(spanCtx);
      (first as Record<string, unknown>).extra = 1;
      expect(writer.fieldsFor(spanCtx)).toEqual(EXAMPLE_FIELDS);
      expect(writer.fieldsFor(spanCtx)).not.toBe(writer.fieldsFor(spanCtx));
    });

    it('keeps interleaved spans apart through its cache', () => {
      const writer = new TraceFieldWriter();
      const other = trace.setSpanContext(context.active(), {
        ...EXAMPLE_SPAN_CONTEXT,
        spanId: '1111111111111111',
      });
      for (let i = 0; i < 3; i++) {
        expect(writer.fieldsFor(spanCtx)?.span_id).toBe(EXAMPLE_SPAN_CONTEXT.spanId);
        expect(writer.fieldsFor(other)?.span_id).toBe('1111111111111111');
      }
    });

    it('returns undefined with neither span nor baggage', () => {
      expect(new TraceFieldWriter({ baggage: ['k'] }).fieldsFor(context.active())).toBeUndefined();
    });
  });

  describe('jsonMembersFor', () => {
    it('serialises the fields without braces', () => {
      expect(JSON.parse(`{${new TraceFieldWriter().jsonMembersFor(spanCtx)}}`)).toEqual(
        EXAMPLE_FIELDS,
      );
    });

    it('escapes baggage values that need it', () => {
      const baggage = propagation.createBaggage({ note: { value: 'say "hi"\n\u2028' } });
      const ctx = propagation.setBaggage(spanCtx, baggage);
      const members = new TraceFieldWriter({ baggage: ['note'] }).jsonMembersFor(ctx);
      expect(JSON.parse(`{${members}}`)).toEqual({ ...EXAMPLE_FIELDS, note: 'say "hi"\n\u2028' });
    });

    it('returns an empty string with nothing to write', () => {
      expect(new TraceFieldWriter().jsonMembersFor(context.active())).toBe('');
    });
  });

  describe('with a hostile context', () => {
    it('reports through diag and writes nothing, without throwing', () => {
      const messages: string[] = [];
      diag.setLogger(
        {
          error: () => undefined,
          warn: (message: string) => messages.push(message),
          info: () => undefined,
          debug: () => undefined,
          verbose: () => undefined,
        },
        DiagLogLevel.WARN,
      );
      const hostile = {
        getValue: () => {
          throw new Error('hostile');
        },
      } as never;
      const writer = new TraceFieldWriter({ baggage: ['k'] });
      const target = {};
      expect(writer.fieldsFor(hostile)).toBeUndefined();
      expect(writer.jsonMembersFor(hostile)).toBe('');
      writer.writeTo(target, hostile);
      expect(target).toEqual({});
      diag.disable();
      expect(messages.some((m) => m.startsWith('tracelink:'))).toBe(true);
    });
  });
});
