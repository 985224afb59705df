import { ROOT_CONTEXT, context, diag, propagation, trace } from '@opentelemetry/api';
import type { ContextManager } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  CompositePropagator,
  W3CBaggagePropagator,
  W3CTraceContextPropagator,
} from '@opentelemetry/core';
import { B3Propagator } from '@opentelemetry/propagator-b3';
import { InvalidOptionError } from 'tracelink';
import { warningsLogger } from '../helpers/diag-warnings';
import { setupPropagation } from 'tracelink/propagation';

const SPAN_CONTEXT = {
  traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
  spanId: '00f067aa0ba902b7',
  traceFlags: 1,
};

function injected(): Record<string, string> {
  const headers: Record<string, string> = {};
  propagation.inject(trace.setSpanContext(ROOT_CONTEXT, SPAN_CONTEXT), headers);
  return headers;
}

let warnings: string[];

beforeEach(() => {
  warnings = [];
  diag.setLogger(warningsLogger(warnings));
});

afterEach(() => {
  propagation.disable();
  context.disable();
  diag.disable();
});

describe('setupPropagation', () => {
  describe('propagator names', () => {
    it.each<[string, Record<string, string | undefined>, string[]]>([
      ['the default without OTEL_PROPAGATORS', {}, ['tracecontext', 'baggage']],
      [
        'the default for an empty OTEL_PROPAGATORS',
        { OTEL_PROPAGATORS: ' ' },
        ['tracecontext', 'baggage'],
      ],
      ['OTEL_PROPAGATORS', { OTEL_PROPAGATORS: 'b3multi,jaeger' }, ['b3multi', 'jaeger']],
      ['trimmed, any case, deduplicated', { OTEL_PROPAGATORS: ' B3 , xray,b3' }, ['b3', 'xray']],
      ['unknown names skipped', { OTEL_PROPAGATORS: 'ottrace,tracecontext' }, ['tracecontext']],
    ])('reads %s', (_, env, expected) => {
      expect(setupPropagation({ env }).propagators).toEqual(expected);
    });

    it('warns about an unknown name', () => {
      setupPropagation({ env: { OTEL_PROPAGATORS: 'ottrace,tracecontext' } });
      expect(warnings).toEqual([expect.stringContaining('"ottrace"')]);
    });

    it('lets the option override the environment', () => {
      const setup = setupPropagation({ propagators: ['b3'], env: { OTEL_PROPAGATORS: 'xray' } });
      expect(setup.propagators).toEqual(['b3']);
      expect(Object.keys(injected())).toEqual(['b3']);
    });

    it.each([
      ['none', ['none']],
      ['none with others', ['none', 'tracecontext']],
      ['only unknown names', ['ottrace']],
    ])('installs no propagator for %s', (_, propagators) => {
      expect(setupPropagation({ propagators })).toMatchObject({
        propagator: 'disabled',
        propagators: [],
      });
      expect(injected()).toEqual({});
    });

    it.each([['tracecontext'], [[1]], [null]])('rejects propagators: %j', (propagators) => {
      expect(() => setupPropagation({ propagators: propagators as unknown as string[] })).toThrow(
        InvalidOptionError,
      );
    });
  });

  describe('with nothing registered', () => {
    it('installs the propagators in order and the context manager', () => {
      expect(
        setupPropagation({ propagators: ['tracecontext', 'b3multi', 'xray', 'jaeger'] }),
      ).toEqual({
        propagator: 'installed',
        contextManager: 'installed',
        propagators: ['tracecontext', 'b3multi', 'xray', 'jaeger'],
      });
      expect(Object.keys(injected())).toEqual([
        'traceparent',
        'x-b3-traceid',
        'x-b3-spanid',
        'x-b3-sampled',
        'x-amzn-trace-id',
        'uber-trace-id',
      ]);
    });

    it('propagates the active context across async boundaries', async () => {
      setupPropagation();
      const ctx = trace.setSpanContext(ROOT_CONTEXT, SPAN_CONTEXT);
      const seen = await context.with(ctx, async () => {
        await new Promise((resolve) => setImmediate(resolve));
        return trace.getSpanContext(context.active());
      });
      expect(seen).toEqual(SPAN_CONTEXT);
    });

    it('is idempotent, keeping what the first call installed', () => {
      setupPropagation({ propagators: ['b3'] });
      expect(setupPropagation({ propagators: ['xray'] })).toMatchObject({
        propagator: 'kept-existing',
        contextManager: 'kept-existing',
      });
      expect(Object.keys(injected())).toEqual(['b3']);
    });
  });

  describe('with an SDK already registered', () => {
    let manager: ContextManager;

    beforeEach(() => {
      manager = new AsyncLocalStorageContextManager().enable();
      context.setGlobalContextManager(manager);
      propagation.setGlobalPropagator(new B3Propagator());
    });

    afterEach(() => manager.disable());

    it('keeps the existing propagator and context manager', () => {
      expect(setupPropagation()).toMatchObject({
        propagator: 'kept-existing',
        contextManager: 'kept-existing',
      });
      expect(Object.keys(injected())).toEqual(['b3']);
    });

    it('wraps OpenTelemetry’s W3C propagator, keeping the rest of its composite', () => {
      propagation.disable();
      propagation.setGlobalPropagator(
        new CompositePropagator({
          propagators: [
            new W3CTraceContextPropagator(),
            new W3CBaggagePropagator(),
            new B3Propagator(),
          ],
        }),
      );
      expect(setupPropagation().propagator).toBe('wrapped-existing');
      expect(Object.keys(injected()).sort()).toEqual(['b3', 'traceparent']);
      // A duplicated traceparent is no parent at all (OpenTelemetry's alone reads the first).
      const extracted = propagation.extract(
        ROOT_CONTEXT,
        {
          traceparent: [
            '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
            '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
          ],
        },
        { keys: (c) => Object.keys(c), get: (c, k) => c[k as 'traceparent'] },
      );
      expect(trace.getSpanContext(extracted)).toBeUndefined();
      expect(setupPropagation().propagator).toBe('kept-existing');
    });

    it('keeps an existing propagator even when it injects nothing here', () => {
      propagation.disable();
      propagation.setGlobalPropagator(new W3CBaggagePropagator());
      expect(setupPropagation().propagator).toBe('kept-existing');
      expect(injected()).toEqual({});
    });
  });
});
