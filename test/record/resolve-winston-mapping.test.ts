import { SeverityNumber as S } from '@opentelemetry/api-logs';
import { InvalidOptionError } from 'tracelink';
import winston from 'winston';
import { resolveWinstonMapping } from '../../transports/mapping/winston.js';
import { thrownBy } from './record-capture.js';

const severities = (mapping: ReturnType<typeof resolveWinstonMapping>) =>
  Object.fromEntries([...mapping.severities].map(([name, s]) => [name, s.severityNumber]));

describe('resolveWinstonMapping', () => {
  describe('with no options', () => {
    it('uses winston’s npm levels', () => {
      expect(severities(resolveWinstonMapping())).toEqual({
        error: S.ERROR,
        warn: S.WARN,
        info: S.INFO,
        http: S.DEBUG3,
        verbose: S.DEBUG2,
        debug: S.DEBUG,
        silly: S.TRACE,
      });
    });
  });

  describe('with a level set', () => {
    it('recognises syslog', () => {
      const mapping = resolveWinstonMapping({ levels: winston.config.syslog.levels });
      expect(severities(mapping)).toMatchObject({ emerg: S.FATAL, notice: S.INFO2 });
    });

    it('places a custom set by rank', () => {
      const mapping = resolveWinstonMapping({ levels: { error: 0, audit: 1, info: 2 } });
      expect(severities(mapping)).toEqual({ error: S.ERROR, audit: S.INFO2, info: S.INFO });
    });
  });

  describe('with severityOverrides', () => {
    it('lets them win, keeping the level name as severityText', () => {
      const mapping = resolveWinstonMapping({ severityOverrides: { http: S.INFO } });
      expect(mapping.severities.get('http')).toEqual({
        severityNumber: S.INFO,
        severityText: 'http',
      });
    });
  });

  describe('with invalid options', () => {
    it.each<[string, unknown, string]>([
      ['options not an object', null, 'options'],
      ['levels an array', { levels: [0, 1] }, 'levels'],
      ['empty levels', { levels: {} }, 'levels'],
      ['a rank that is not a number', { levels: { error: '0' } }, 'levels.error'],
      ['an infinite rank', { levels: { error: Infinity } }, 'levels.error'],
      ['an invalid shared option', { maxStringLength: 0 }, 'maxStringLength'],
    ])('throws InvalidOptionError for %s', (_case, options, option) => {
      const error = thrownBy(() => resolveWinstonMapping(options as never));
      expect(error).toBeInstanceOf(InvalidOptionError);
      expect((error as InvalidOptionError).option).toBe(option);
    });
  });
});
