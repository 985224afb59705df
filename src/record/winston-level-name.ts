import { readOwn } from './read-own.js';

// triple-beam's LEVEL: the level as the logger set it, before any format (colorize) ran.
const LEVEL = Symbol.for('level');
// An SGR escape sequence as colorize() writes it (`\x1b[33mwarn\x1b[39m`). Built from the
// code point, so the source holds no control character.
const ANSI_COLOUR = new RegExp(`${String.fromCharCode(0x1b)}\\[[0-9;]*m`, 'g');

/**
 * The level name of a winston `info`: `info[Symbol.for('level')]` when it is a string (never
 * colourised), else `info.level` with ANSI colour codes stripped, else `undefined`.
 *
 * @example
 * ```ts
 * winstonLevelName({ level: '\x1b[33mwarn\x1b[39m' }); // 'warn'
 * ```
 */
export function winstonLevelName(info: object): string | undefined {
  const level = readOwn(info, LEVEL);
  if (typeof level === 'string') return level;
  const field = readOwn(info, 'level');
  return typeof field === 'string' ? field.replace(ANSI_COLOUR, '') : undefined;
}
