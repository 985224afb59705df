import { reportProblem } from '../../src/report-problem.js';

/**
 * Parses one line from pino. A line that is not a JSON object (another transport's output,
 * a truncated write) still ships: as a record whose message is the raw line.
 */
export function parsePinoLine(line: string, messageKey: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(line);
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) {
      return parsed as Record<string, unknown>;
    }
  } catch (error) {
    reportProblem('parsing a pino line', 'it is shipped as a raw message', error);
  }
  return { [messageKey]: line };
}
