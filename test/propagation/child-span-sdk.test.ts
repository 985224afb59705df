import { ROOT_CONTEXT, SpanKind, trace } from '@opentelemetry/api';
import { startChildSpan } from '../../src/propagation/child-span';
import { EXAMPLE_SPAN_CONTEXT, useTracing } from '../helpers/tracing';

describe('startChildSpan', () => {
  const tracing = useTracing();

  describe('with a tracing SDK registered', () => {
    it('starts an SDK span that is the child of the remote parent', () => {
      const parent = trace.setSpanContext(ROOT_CONTEXT, EXAMPLE_SPAN_CONTEXT);
      const child = startChildSpan(parent, 'GET /users', { kind: SpanKind.SERVER });
      child.span.end();
      expect(child.fromSdk).toBe(true);
      const [finished] = tracing.exporter.getFinishedSpans().slice(-1);
      expect(finished?.name).toBe('GET /users');
      expect(finished?.kind).toBe(SpanKind.SERVER);
      expect(finished?.spanContext().traceId).toBe(EXAMPLE_SPAN_CONTEXT.traceId);
      expect(finished?.parentSpanContext?.spanId).toBe(EXAMPLE_SPAN_CONTEXT.spanId);
      expect(trace.getSpan(child.context)).toBe(child.span);
    });

    it('starts a root span when there is no parent', () => {
      const child = startChildSpan(ROOT_CONTEXT, 'root');
      child.span.end();
      expect(child.fromSdk).toBe(true);
      expect(tracing.exporter.getFinishedSpans().slice(-1)[0]?.parentSpanContext).toBeUndefined();
    });
  });
});
