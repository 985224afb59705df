import {
  readErrorView,
  viewOfStackRecord,
  renderStacktrace,
} from '../../../transports/mapping/errors.js';

describe('readErrorView', () => {
  describe('with a live error', () => {
    it('reads its class, message, stack and cause', () => {
      const cause = new Error('root');
      const error = new RangeError('too far', { cause });
      expect(readErrorView(error)).toEqual({
        type: 'RangeError',
        message: 'too far',
        stack: error.stack,
        cause,
        aggregated: [],
        consumedKeys: ['name', 'message', 'stack', 'cause'],
      });
    });

    it('leaves the application’s own `type` field alone', () => {
      const error = Object.assign(new Error('too large'), { type: 'entity.too.large' });
      const view = readErrorView(error);
      expect(view.type).toBe('Error');
      expect(view.consumedKeys).not.toContain('type');
    });

    it('does not take a cause that is not error-like', () => {
      const view = readErrorView(new Error('x', { cause: 42 }));
      expect(view.cause).toBeUndefined();
      expect(view.consumedKeys).not.toContain('cause');
    });
  });

  describe('with an error serialized by pino', () => {
    it('reads type, message, stack, cause and aggregateErrors', () => {
      const serialized = {
        type: 'AggregateError',
        message: 'many',
        stack: 'AggregateError: many',
        aggregateErrors: [{ type: 'Error', message: 'one' }],
        code: 'E1',
      };
      expect(readErrorView(serialized)).toEqual({
        type: 'AggregateError',
        message: 'many',
        stack: 'AggregateError: many',
        cause: undefined,
        aggregated: [{ type: 'Error', message: 'one' }],
        consumedKeys: ['type', 'name', 'message', 'stack', 'aggregateErrors'],
      });
    });

    it('never throws on a throwing getter', () => {
      const hostile = {
        message: 'x',
        get stack(): string {
          throw new Error('no');
        },
      };
      expect(readErrorView(hostile)).toMatchObject({ message: 'x', stack: undefined });
    });
  });
});

describe('viewOfStackRecord', () => {
  it.each([
    ['a plain error', 'Error: boom\n    at f (a.js:1:1)', 'Error', 'boom'],
    ['a subclass', 'TypeError: bad input\n    at f (a.js:1:1)', 'TypeError', 'bad input'],
    [
      'a Node coded error',
      'TypeError [ERR_INVALID_ARG_TYPE]: bad arg\n    at f',
      'TypeError',
      'bad arg',
    ],
    ['a multi-line message', 'Error: line 1\nline 2\n    at f', 'Error', 'line 1\nline 2'],
    ['no message', 'Error\n    at f', 'Error', 'fallback'],
    ['no frames', 'RangeError: alone', 'RangeError', 'alone'],
    ['a head that is no error head', '!!! odd stack', undefined, 'fallback'],
  ])('reads type and message from %s', (_case, stack, type, message) => {
    expect(viewOfStackRecord(stack, 'fallback', undefined)).toMatchObject({ type, message, stack });
  });

  it('consumes stack, and cause when it is error-like', () => {
    expect(viewOfStackRecord('Error: x', 'x', new Error('c')).consumedKeys).toEqual([
      'stack',
      'cause',
    ]);
    expect(viewOfStackRecord('Error: x', 'x', 'text').consumedKeys).toEqual(['stack']);
  });
});

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
