import { configure } from 'safe-stable-stringify';
import { reportProblem } from '../report-problem.js';

// The fallback for what JSON.stringify rejects (cycles, BigInt): safe-stable-stringify, the
// library logform's json() uses, with json()'s BigInt-as-string rule. Insertion order, like
// the fast path, so a line looks the same whichever path wrote it.
const safeStringify = configure({ deterministic: false });

function bigintAsString(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}

/**
 * Serialises a winston record to one JSON line. The plain `JSON.stringify` fast path covers
 * almost every record; a record it rejects goes through safe-stable-stringify (`"[Circular]"`,
 * BigInt as a string); a record even that cannot read (a throwing getter or `toJSON`) becomes
 * its level and message alone, reported through `diag`. Never throws.
 */
export function stringifyRecord(info: Record<string, unknown>): string {
  try {
    return JSON.stringify(info);
  } catch {
    try {
      return safeStringify(info, bigintAsString) ?? '{}';
    } catch (error) {
      reportProblem(
        'serialising a winston record',
        'only its level and message are written',
        error,
      );
      return JSON.stringify({ level: String(info.level), message: String(info.message) });
    }
  }
}
