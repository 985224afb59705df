import { readErrorView, viewOfStackRecord } from '../../transports/mapping/errors.js';

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
