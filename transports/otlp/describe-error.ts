/** A short, single-line description of an export error for reports. */
export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    const message = error.message.split('\n')[0] ?? '';
    return typeof code === 'string' || typeof code === 'number' ? `${code} ${message}` : message;
  }
  return String(error);
}
