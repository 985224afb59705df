import { InvalidOptionError } from 'tracelink';
import { resolveCommonMapping } from '../../transports/mapping/mapping-options.js';
import { thrownBy } from './record-capture.js';

describe('resolveCommonMapping', () => {
  describe('with no options', () => {
    it('fills in the defaults', () => {
      expect(resolveCommonMapping({})).toEqual({
        severityOverrides: new Map(),
        flattenAttributes: false,
        limits: { maxStringLength: 1_048_576, maxDepth: 32 },
      });
    });
  });

  describe('with valid options', () => {
    it('keeps them', () => {
      const resolved = resolveCommonMapping({
        severityOverrides: { audit: 11 },
        flattenAttributes: true,
        maxStringLength: 10,
        maxDepth: 1000,
      });
      expect(resolved).toEqual({
        severityOverrides: new Map([['audit', 11]]),
        flattenAttributes: true,
        limits: { maxStringLength: 10, maxDepth: 1000 },
      });
    });
  });

  describe('with invalid options', () => {
    it.each<[string, Record<string, unknown>, string]>([
      ['flattenAttributes not a boolean', { flattenAttributes: 'yes' }, 'flattenAttributes'],
      ['maxStringLength 0', { maxStringLength: 0 }, 'maxStringLength'],
      ['maxStringLength fractional', { maxStringLength: 1.5 }, 'maxStringLength'],
      ['maxStringLength a string', { maxStringLength: '10' }, 'maxStringLength'],
      ['maxDepth 0', { maxDepth: 0 }, 'maxDepth'],
      ['maxDepth above 1000', { maxDepth: 1001 }, 'maxDepth'],
      ['maxDepth NaN', { maxDepth: NaN }, 'maxDepth'],
      ['severityOverrides an array', { severityOverrides: [9] }, 'severityOverrides'],
      ['a severity above 24', { severityOverrides: { audit: 25 } }, 'severityOverrides.audit'],
      ['a negative severity', { severityOverrides: { audit: -1 } }, 'severityOverrides.audit'],
      ['a fractional severity', { severityOverrides: { audit: 9.5 } }, 'severityOverrides.audit'],
      ['a severity name', { severityOverrides: { audit: 'INFO' } }, 'severityOverrides.audit'],
    ])('throws InvalidOptionError for %s', (_case, options, option) => {
      const error = thrownBy(() => resolveCommonMapping(options));
      expect(error).toBeInstanceOf(InvalidOptionError);
      expect((error as InvalidOptionError).option).toBe(option);
    });
  });
});
