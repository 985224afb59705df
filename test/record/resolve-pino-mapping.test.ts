import { SeverityNumber as S } from '@opentelemetry/api-logs';
import { InvalidOptionError } from 'tracelink';
import { resolvePinoMapping } from '../../transports/mapping/pino.js';
import { capturePino, thrownBy } from './record-capture.js';

const severities = (mapping: ReturnType<typeof resolvePinoMapping>) =>
  Object.fromEntries([...mapping.byLabel].map(([name, s]) => [name, s.severityNumber]));

describe('resolvePinoMapping', () => {
  describe('with no options', () => {
    it('uses pino’s keys and levels', () => {
      const mapping = resolvePinoMapping();
      expect(mapping).toMatchObject({ messageKey: 'msg', errorKey: 'err' });
      expect(severities(mapping)).toEqual({
        trace: S.TRACE,
        debug: S.DEBUG,
        info: S.INFO,
        warn: S.WARN,
        error: S.ERROR,
        fatal: S.FATAL,
      });
    });
  });

  describe('with custom levels', () => {
    it('merges customLevels onto pino’s defaults', () => {
      const mapping = resolvePinoMapping({ customLevels: { audit: 35, panic: 70 } });
      expect(severities(mapping)).toMatchObject({ audit: S.INFO3, panic: S.FATAL4, info: S.INFO });
      expect(mapping.byValue.get(35)?.severityText).toBe('audit');
    });

    it('takes a real logger’s `levels` as they are', () => {
      const { logger } = capturePino({
        customLevels: { audit: 35 },
        useOnlyCustomLevels: true,
        level: 'audit',
      });
      const mapping = resolvePinoMapping({ levels: logger.levels });
      expect(severities(mapping)).toEqual({ audit: S.INFO3 });
    });

    it('lets a custom name take over a standard number, as pino does', () => {
      const mapping = resolvePinoMapping({ customLevels: { notice: 30 } });
      expect(mapping.byValue.get(30)?.severityText).toBe('notice');
    });
  });

  describe('with severityOverrides', () => {
    it('lets them win over the placement', () => {
      const mapping = resolvePinoMapping({
        customLevels: { audit: 35 },
        severityOverrides: { audit: S.WARN, fatal: S.FATAL4 },
      });
      expect(severities(mapping)).toMatchObject({ audit: S.WARN, fatal: S.FATAL4 });
    });
  });

  describe('with invalid options', () => {
    it.each<[string, unknown, string]>([
      ['options not an object', 'msg', 'options'],
      ['an empty messageKey', { messageKey: '' }, 'messageKey'],
      ['a numeric errorKey', { errorKey: 1 }, 'errorKey'],
      ['levels not an object', { levels: [] }, 'levels'],
      ['levels.values not an object', { levels: { values: 'x' } }, 'levels.values'],
      ['a level that is not a number', { customLevels: { audit: '35' } }, 'customLevels.audit'],
      ['a NaN level', { customLevels: { audit: NaN } }, 'customLevels.audit'],
      [
        'a label that is not a name',
        { levels: { values: {}, labels: { 30: 1 } } },
        'levels.labels.30',
      ],
      ['an invalid shared option', { maxDepth: -1 }, 'maxDepth'],
    ])('throws InvalidOptionError for %s', (_case, options, option) => {
      const error = thrownBy(() => resolvePinoMapping(options as never));
      expect(error).toBeInstanceOf(InvalidOptionError);
      expect((error as InvalidOptionError).option).toBe(option);
    });
  });
});
