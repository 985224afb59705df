import Transport from 'winston-transport';

// triple-beam's MESSAGE: the line the formats produced.
const MESSAGE = Symbol.for('message');

/** A winston transport that takes `delayMs` per record and keeps every finished line, parsed. */
export class SlowTransport extends Transport {
  readonly lines: Record<string, unknown>[] = [];
  private waiters: { count: number; resolve: () => void }[] = [];

  constructor(private readonly delayMs: number) {
    super();
  }

  override log(info: Record<string | symbol, unknown>, callback: () => void): void {
    setTimeout(() => {
      this.lines.push(JSON.parse(info[MESSAGE] as string) as Record<string, unknown>);
      this.waiters = this.waiters.filter((waiter) => {
        if (this.lines.length < waiter.count) return true;
        waiter.resolve();
        return false;
      });
      callback();
    }, this.delayMs);
  }

  /**
   * Resolves once `count` lines have arrived. (winston's `logger.end()` ends the transports
   * while records are still buffered behind a slow one, so tests wait for the count instead.)
   */
  received(count: number, timeoutMs = 5000): Promise<void> {
    if (this.lines.length >= count) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`only ${this.lines.length} of ${count} lines arrived`)),
        timeoutMs,
      );
      this.waiters.push({ count, resolve: () => (clearTimeout(timer), resolve()) });
    });
  }
}
