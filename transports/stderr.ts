import { writeSync } from 'node:fs';

/**
 * Writes a line to the process's stderr synchronously, credentials redacted
 * ({@link redactCredentials}). In pino's worker thread, `process.stderr` is forwarded to the
 * main thread asynchronously — at exit, while the main thread waits for the worker, such a
 * line would never appear. Never throws.
 */
export function writeStderrLine(line: string): void {
  try {
    writeSync(2, `${redactCredentials(line)}\n`);
  } catch {
    // stderr is closed: there is nowhere left to report to.
  }
}

/** A short, single-line description of an export error for reports. */
export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    const message = error.message.split('\n')[0] ?? '';
    return typeof code === 'string' || typeof code === 'number' ? `${code} ${message}` : message;
  }
  return String(error);
}

/** What takes the place of a secret. */
export const REDACTED = 'REDACTED';

// scheme://authority path ?query #fragment, in running text.
const URL_IN_TEXT = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s/?#]*)([^\s?#]*)(\?[^\s#]*)?(#\S*)?/gi;
// Without a scheme, the text as a whole: authority path ?query #fragment.
const BARE_URL = /^()([^\s/?#]*)([^\s?#]*)(\?[^\s#]*)?(#\S*)?$/;
// Punctuation that ends a sentence rather than a query string.
const TRAILING_PUNCTUATION = /[.,;:!?)\]'"]+$/;

/**
 * Hides the credentials of every URL in `text` — a URL alone, with or without a scheme, or
 * URLs within a message: the user information (`user:password@`) and every query value
 * (`?api_key=…`) become `REDACTED`, and so does a fragment. The one redaction every report
 * goes through: the destination in the failure, summary and exit lines, error messages, and
 * every line {@link writeStderrLine} writes. Idempotent.
 *
 * @example
 * ```ts
 * redactCredentials('https://user:s3cret@collector:4318/v1/logs?api_key=abc');
 * // 'https://REDACTED@collector:4318/v1/logs?api_key=REDACTED'
 * ```
 */
export function redactCredentials(text: string): string {
  const pattern = text.includes('://') ? URL_IN_TEXT : BARE_URL;
  return text.replace(
    pattern,
    (_match, scheme: string, authority: string, path: string, query?: string, fragment?: string) =>
      scheme +
      redactAuthority(authority) +
      path +
      (query === undefined ? '' : redactQuery(query)) +
      (fragment === undefined ? '' : fragment.length > 1 ? `#${REDACTED}` : fragment),
  );
}

function redactAuthority(authority: string): string {
  const at = authority.lastIndexOf('@');
  return at < 0 ? authority : `${REDACTED}@${authority.slice(at + 1)}`;
}

function redactQuery(query: string): string {
  const ending = TRAILING_PUNCTUATION.exec(query.slice(1))?.[0] ?? '';
  const params = query.slice(1, query.length - ending.length);
  if (params === '') return query;
  const redacted = params
    .split('&')
    .map((param) => {
      if (param === '') return param;
      const equals = param.indexOf('=');
      return equals < 0 ? REDACTED : `${param.slice(0, equals)}=${REDACTED}`;
    })
    .join('&');
  return `?${redacted}${ending}`;
}
