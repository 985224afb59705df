import fc from 'fast-check';
import { ROOT_CONTEXT, context, createContextKey, trace } from '@opentelemetry/api';
import type { Context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { LinkedContext } from '../../src/core/captured-context';
import { EXAMPLE_SPAN_CONTEXT } from '../helpers/tracing';

const KEYS = [
  createContextKey('a'),
  createContextKey('b'),
  createContextKey('c'),
  createContextKey('d'),
];

describe('LinkedContext', () => {
  it('reads the values of the context it wraps', () => {
    const base = ROOT_CONTEXT.setValue(KEYS[0], 1);
    const linked = new LinkedContext(base);
    expect(linked.getValue(KEYS[0])).toBe(1);
    expect(linked.getValue(KEYS[1])).toBeUndefined();
  });

  it('derives new contexts without changing the ones it came from', () => {
    const first = new LinkedContext(ROOT_CONTEXT).setValue(KEYS[0], 1);
    const second = first.setValue(KEYS[0], 2);
    const third = second.deleteValue(KEYS[0]);
    expect([first, second, third].map((c) => c.getValue(KEYS[0]))).toEqual([1, 2, undefined]);
  });

  it('carries a span for the trace API and the context manager', () => {
    const manager = new AsyncLocalStorageContextManager().enable();
    context.setGlobalContextManager(manager);
    try {
      const ctx = trace.setSpanContext(new LinkedContext(ROOT_CONTEXT), EXAMPLE_SPAN_CONTEXT);
      const seen = context.with(ctx, () => trace.getSpanContext(context.active()));
      expect(seen).toEqual(EXAMPLE_SPAN_CONTEXT);
    } finally {
      context.disable();
    }
  });

  // A model test: any sequence of set/delete, long enough to be folded several times, reads
  // back exactly as the same sequence on the API's own contexts.
  it('reads as the API context does after any sequence of changes', () => {
    const change = fc.record({
      key: fc.integer({ min: 0, max: KEYS.length - 1 }),
      value: fc.option(fc.integer(), { nil: undefined }),
      remove: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(change, { maxLength: 40 }), (changes) => {
        let ours: Context = new LinkedContext(ROOT_CONTEXT.setValue(KEYS[3], 'base'));
        let theirs: Context = ROOT_CONTEXT.setValue(KEYS[3], 'base');
        const history: [Context, Context][] = [];
        for (const { key, value, remove } of changes) {
          ours = remove ? ours.deleteValue(KEYS[key]) : ours.setValue(KEYS[key], value);
          theirs = remove ? theirs.deleteValue(KEYS[key]) : theirs.setValue(KEYS[key], value);
          history.push([ours, theirs]);
        }
        for (const [a, b] of history) {
          for (const key of KEYS) expect(a.getValue(key)).toBe(b.getValue(key));
        }
      }),
      { numRuns: 1_000 },
    );
  });
});
