import { diag } from '@opentelemetry/api';
import { ValueConverter } from '../../transports/mapping/values.js';

const converter = () => new ValueConverter({ maxStringLength: 1_048_576, maxDepth: 32 });

describe('ValueConverter', () => {
  const warn = jest.spyOn(diag, 'warn').mockImplementation(() => {});
  afterAll(() => warn.mockRestore());

  describe('convertRecord', () => {
    it('converts every field but those skipped', () => {
      const record = { msg: 'x', user: 'ada', n: 1 };
      expect(converter().convertRecord(record, (key) => key === 'msg')).toStrictEqual({
        user: 'ada',
        n: 1,
      });
    });

    it('maps a field that refers back to the record as "[Circular]"', () => {
      const record: Record<string, unknown> = { a: 1 };
      record.me = record;
      expect(converter().convertRecord(record, () => false)).toStrictEqual({
        a: 1,
        me: '[Circular]',
      });
    });

    it('gives an empty map, reported, when the keys cannot be listed', () => {
      const hostile = new Proxy(
        {},
        {
          ownKeys: () => {
            throw new Error('no keys');
          },
        },
      );
      expect(converter().convertRecord(hostile, () => false)).toStrictEqual({});
      expect(warn).toHaveBeenCalledWith(
        expect.stringContaining('listing the fields of a log record failed'),
        'Error: no keys',
      );
    });

    it('counts depth from the record: its fields are at depth + 1', () => {
      const shallow = new ValueConverter({ maxStringLength: 1024, maxDepth: 1 });
      expect(shallow.convertRecord({ a: { b: 1 } }, () => false, 1)).toStrictEqual({
        a: '[Truncated: depth]',
      });
    });
  });

  describe('convert', () => {
    it('keeps an Error’s class as its type over an own `type` field, as pino does', () => {
      const error = Object.assign(new SyntaxError('bad json'), { type: 'entity.parse.failed' });
      expect(converter().convert(error, 1)).toStrictEqual({
        type: 'SyntaxError',
        message: 'bad json',
        stack: error.stack,
      });
    });

    it('converts a Map key that is a symbol by its description', () => {
      expect(converter().convert(new Map([[Symbol('k'), 1]]), 1)).toStrictEqual({ 'Symbol(k)': 1 });
    });

    it('asks toJSON() once, and takes an object result with its own toJSON field by field', () => {
      const inner = { a: 1, toJSON: () => 'never called' };
      const outer = { toJSON: () => inner };
      expect(converter().convert(outer, 1)).toStrictEqual({ a: 1 });
    });

    it('maps a value whose toJSON() throws as "[Unreadable]"', () => {
      const value = {
        toJSON: () => {
          throw new Error('no');
        },
      };
      expect(converter().convert({ value }, 1)).toStrictEqual({ value: '[Unreadable]' });
    });
  });
});
