import { ROOT_CONTEXT, context, diag, propagation, trace } from '@opentelemetry/api';
import { warningsLogger } from '../helpers/diag-warnings';
import { setupPropagation } from 'tracelink/propagation';
import { EXAMPLE_SPAN_CONTEXT, EXAMPLE_TRACEPARENT } from '../helpers/tracing';

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

describe('OTEL_PROPAGATORS', () => {
  describe('naming only unknown propagators', () => {
    it.each(['w3c', 'W3C, tracecontxt', ' , '])(
      '%j falls back to tracecontext,baggage with a warning',
      (value) => {
        const setup = setupPropagation({ env: { OTEL_PROPAGATORS: value } });
        expect(setup).toMatchObject({
          propagator: 'installed',
          propagators: ['tracecontext', 'baggage'],
        });
        const headers: Record<string, string> = {};
        propagation.inject(trace.setSpanContext(ROOT_CONTEXT, EXAMPLE_SPAN_CONTEXT), headers);
        expect(headers).toEqual({ traceparent: EXAMPLE_TRACEPARENT });
        expect(warnings).toContainEqual(expect.stringContaining('using tracecontext,baggage'));
      },
    );
  });

  it('still turns propagation off when it says none', () => {
    expect(setupPropagation({ env: { OTEL_PROPAGATORS: 'none' } })).toMatchObject({
      propagator: 'disabled',
    });
  });
});
