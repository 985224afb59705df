import { readErrorView } from '../../transports/mapping/errors.js';
import { renderStacktrace } from '../../transports/mapping/errors.js';

const render = (error: object) => renderStacktrace(error, readErrorView(error));

describe('renderStacktrace', () => {
  describe('with a live error', () => {
    it('is the stack when there is no cause', () => {
      const error = new Error('alone');
      expect(render(error)).toBe(error.stack);
    });

    it('appends each cause with "Caused by:"', () => {
      const root = new Error('root');
      const middle = new Error('middle', { cause: root });
      const top = new Error('top', { cause: middle });
      expect(render(top)).toBe(
        `${top.stack}\nCaused by: ${middle.stack}\nCaused by: ${root.stack}`,
      );
    });

    it('stops at a cycle', () => {
      const a = new Error('a');
      const b = new Error('b', { cause: a });
      a.cause = b;
      expect(render(a)).toBe(`${a.stack}\nCaused by: ${b.stack}\nCaused by: [Circular]`);
    });

    it('stops after 10 causes', () => {
      let error = new Error('cause 0');
      for (let i = 1; i <= 20; i++) error = new Error(`cause ${i}`, { cause: error });
      const lines = render(error)
        .split('\n')
        .filter((line) => line.startsWith('Caused by:'));
      expect(lines).toHaveLength(11);
      expect(lines[10]).toBe('Caused by: … (further causes left out)');
    });

    it('ignores a cause that is not error-like (it stays an attribute)', () => {
      const error = new Error('x', { cause: { code: 42 } });
      expect(render(error)).toBe(error.stack);
    });

    it('lists an AggregateError’s errors', () => {
      const inner = new Error('inner');
      const error = new AggregateError([inner, 'plain'], 'many');
      expect(render(error)).toBe(
        `${error.stack}\nAggregated error 1 of 2: ${inner.stack}\nAggregated error 2 of 2: plain`,
      );
    });

    it('bounds the aggregated errors', () => {
      const error = new AggregateError(Array.from({ length: 15 }, (_, i) => new Error(`${i}`)));
      expect(render(error).endsWith('\n… 5 more aggregated errors left out')).toBe(true);
    });
  });

  describe('with an error serialized by pino', () => {
    it('appends errWithCause’s nested cause', () => {
      const serialized = {
        type: 'Error',
        message: 'outer',
        stack: 'Error: outer\n    at a',
        cause: { type: 'Error', message: 'inner', stack: 'Error: inner\n    at b' },
      };
      expect(render(serialized)).toBe('Error: outer\n    at a\nCaused by: Error: inner\n    at b');
    });

    it('writes "Type: message" for an error without a stack', () => {
      expect(render({ type: 'RangeError', message: 'too big' })).toBe('RangeError: too big');
    });
  });
});
