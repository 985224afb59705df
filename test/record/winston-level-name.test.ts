import { winstonLevelName } from '../../transports/mapping/winston-severity.js';

const LEVEL = Symbol.for('level');

describe('winstonLevelName', () => {
  it.each<[string, object, string | undefined]>([
    ['the level symbol first', { [LEVEL]: 'warn', level: '\u001b[33mwarn\u001b[39m' }, 'warn'],
    ['info.level without colours', { level: 'info' }, 'info'],
    [
      'info.level with colours stripped',
      { level: '\u001b[1m\u001b[31merror\u001b[39m\u001b[22m' },
      'error',
    ],
    ['nothing for a non-string level', { level: 3 }, undefined],
    ['nothing without a level', {}, undefined],
  ])('reads %s', (_case, info, expected) => {
    expect(winstonLevelName(info)).toBe(expected);
  });
});
