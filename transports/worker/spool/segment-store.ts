import * as fs from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { open, rename, unlink, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { DeliveryStats } from '../report/delivery-stats.js';
import { encodeBlockParts, fileHeader, readBlock } from './spool-block.js';
import { ACK_FILE, SEGMENT_SUFFIX, SpoolFolder, ackLine } from './spool-folder.js';

/** Bytes read from a segment at a time. */
const READ_CHUNK_BYTES = 1024 * 1024;
/**
 * Characters of just-written records handed to the reader from memory, at most: while the
 * reader keeps up, records are not read back from disk (see `append`).
 */
const TAIL_MAX_CHARS = 4 * 1024 * 1024;
/**
 * How long acknowledgements may gather before the ack file is written (one write at a time):
 * a batch's worth of records is settled at once, and what a kill catches unwritten is resent.
 */
const ACK_WRITE_DELAY_MILLIS = 25;

/** A segment file of the store: written by this process, or taken over from a gone one. */
export class Segment {
  /** Bytes of whole blocks in the file (what can be read). */
  size = 0;
  /** Records in the file (for a taken-over segment, counted from the block headers). */
  records = 0;
  /** Where the next block to read starts, and the number of the next record read. */
  readOffset: number;
  readIndex = 0;
  /** Records `0 … acked - 1` are done with; those after it that are done, out of order. */
  acked: number;
  readonly ahead = new Set<number>();
  sealed: boolean;
  deleted = false;
  handle: FileHandle | undefined;

  constructor(
    readonly name: string,
    readonly path: string,
    options: { sealed: boolean; acked: number; headerBytes: number },
  ) {
    this.sealed = options.sealed;
    this.acked = options.acked;
    this.readOffset = options.headerBytes;
  }

  /** Records in the file not yet done with. */
  get unsettled(): number {
    return Math.max(0, this.records - this.acked - this.ahead.size);
  }

  /** Whether blocks are left to read. */
  get unread(): boolean {
    return this.readOffset < this.size;
  }
}

/** A record read back from the spool, and where it is: hand `position` to `settle`. */
export interface SpooledRecord {
  readonly line: string;
  readonly segment: Segment;
  readonly index: number;
}

/** Options of {@link SegmentStore}. */
export interface SegmentStoreOptions {
  readonly directory: string;
  /** What the lines are (`pino`, `winston-json`, `winston-protobuf`): only those are taken over. */
  readonly kind: string;
  readonly maxBytes: number;
  /** A segment is sealed, and a new one begun, past this size. @default maxBytes / 8, 64 KiB–16 MiB */
  readonly segmentBytes?: number;
  /**
   * Characters of just-written records handed to the reader from memory, at most (0: every
   * record is read back from disk). @default 4 MiB
   */
  readonly maxTailChars?: number;
  /** Counts `spool-full` and `spool-corrupt` drops, records taken over, and `spooled`. */
  readonly stats: DeliveryStats;
  /**
   * Records read from the store and held by the export queue now: `spooled` counts the
   * records on disk but these (they count as buffered or in flight). @default () => 0
   */
  readonly held?: () => number;
  /** One line for the operator (stderr). */
  readonly warn?: (line: string) => void;
}

/**
 * The spool's records on disk: append-only segment files in this process's
 * {@link SpoolFolder}, each a run of CRC-checked blocks (spool-block.ts). Records are appended
 * a block at a time, read back in order — the segments a gone process left first, oldest
 * first — and settled one by one when the collector has them (or they are dropped for good);
 * a segment whose records are all settled is deleted. How far each segment was settled is
 * written to an ack file (within ~25 ms, and at exit), so a restart resends little.
 * Past `maxBytes` the oldest segment is dropped, its unread records counted `spool-full`;
 * unreadable blocks and files are skipped, counted `spool-corrupt`. Only one read and one
 * append may run at a time.
 *
 * @example
 * ```ts
 * const store = SegmentStore.open({ directory, kind: 'pino', maxBytes, stats });
 * await store.append(['{"msg":"a"}']);
 * for (const record of await store.read()) store.settle(record);
 * ```
 */
export class SegmentStore {
  readonly folder: SpoolFolder;
  private readonly segments: Segment[] = [];
  private active: Segment | undefined;
  private readonly header: Buffer;
  private readonly segmentBytes: number;
  private readonly tag = randomBytes(3).toString('hex');
  private sequence = 0;
  private totalBytes = 0;
  /** Dropped (spool-full) segments whose read records the export queue still holds. */
  private readonly dropped = new Set<Segment>();
  private reading: { segment: Segment; handle: FileHandle } | undefined;
  private readInFlight = false;
  /** Records just written, handed to the next `read` as they are (see `append`). */
  private tail: SpooledRecord[] = [];
  private tailChars = 0;
  private ackTimer: NodeJS.Timeout | undefined;
  private ackWriting: Promise<void> | undefined;
  private ackDirty = false;
  private closed = false;

  private constructor(private readonly options: SegmentStoreOptions) {
    this.folder = SpoolFolder.create(options.directory, options.kind);
    this.header = fileHeader(options.kind);
    this.segmentBytes =
      options.segmentBytes ??
      Math.min(16 * 1024 * 1024, Math.max(64 * 1024, Math.floor(options.maxBytes / 8)));
  }

  /** Makes this process's folder and takes over what gone processes left. Throws on an I/O error. */
  static async open(options: SegmentStoreOptions): Promise<SegmentStore> {
    const store = new SegmentStore(options);
    await store.adoptLeftovers();
    return store;
  }

  /** Looks for segments gone processes left (again), and takes them over. */
  async adoptLeftovers(): Promise<number> {
    const adopted = this.folder.adoptLeftovers(this.options.warn);
    for (const { name, acked, ahead } of adopted) {
      const segment = new Segment(name, this.folder.segmentPath(name), {
        sealed: true,
        acked,
        headerBytes: 0,
      });
      for (const index of ahead) if (index > acked) segment.ahead.add(index);
      await this.count(segment);
      this.insert(segment);
      this.totalBytes += segment.size;
      // Records a gone process received, counted here: they are now this transport's to deliver.
      this.options.stats.received += segment.unsettled;
      this.deleteIfDone(segment);
    }
    this.updateSpooled();
    return adopted.length;
  }

  /** The spool directory. */
  get directory(): string {
    return this.options.directory;
  }

  /** Records on disk not yet done with. */
  get unsettled(): number {
    let count = 0;
    for (const segment of this.segments) count += segment.unsettled;
    return count;
  }

  /** Records read and handed out, from segments dropped since (only in memory now), not done with. */
  get unsettledOfDropped(): number {
    let count = 0;
    for (const segment of this.dropped)
      count += segment.readIndex - segment.acked - segment.ahead.size;
    return count;
  }

  /** Whether records are left to read. */
  hasUnread(): boolean {
    return this.tail.length > 0 || this.segments.some((segment) => segment.unread);
  }

  /**
   * Appends `lines` as one block, beginning a new segment past the segment size and dropping
   * the oldest segments (counted `spool-full`) to stay within `maxBytes`. Rejects on an I/O
   * error: the lines were not written.
   */
  async append(lines: readonly string[]): Promise<void> {
    const { header, payload } = encodeBlockParts(lines);
    const block = { length: header.length + payload.length };
    const { maxBytes, stats } = this.options;
    if (block.length + this.header.length > maxBytes) {
      stats.drop('spool-full', lines.length);
      return;
    }
    let active = this.active;
    if (active === undefined || active.size + block.length > this.segmentBytes) {
      active = await this.begin();
    }
    while (this.totalBytes + block.length > maxBytes) {
      const oldest = this.segments.find((segment) => segment !== active);
      if (oldest === undefined) break;
      this.drop(oldest);
    }
    const at = active.size;
    await (active.handle as FileHandle).writev([header, payload], at);
    active.size += block.length;
    active.records += lines.length;
    this.totalBytes += block.length;
    this.updateSpooled();
    // The reader is caught up (the queue keeps up with the collector): it takes these records
    // from memory rather than reading back what was just written. In a 100k-record burst this
    // spared the worker the read-back's copies (`npm run bench -- transports`, spool on).
    if (
      !this.readInFlight &&
      !active.deleted &&
      active.readOffset === at &&
      this.tailChars < (this.options.maxTailChars ?? TAIL_MAX_CHARS) &&
      this.segments.every((segment) => segment === active || !segment.unread)
    ) {
      active.readOffset += block.length;
      for (const line of lines) {
        this.tail.push({ line, segment: active, index: active.readIndex++ });
        this.tailChars += line.length;
      }
    }
  }

  /**
   * The next records, in order (at most a chunk's worth); none when nothing is left to read
   * now. Unreadable blocks met on the way are counted `spool-corrupt` and settled.
   */
  async read(): Promise<SpooledRecord[]> {
    if (this.tail.length > 0) {
      const tail = this.tail;
      this.tail = [];
      this.tailChars = 0;
      return tail;
    }
    const out: SpooledRecord[] = [];
    this.readInFlight = true;
    try {
      while (out.length === 0) {
        const segment = this.segments.find((s) => s.unread && !s.deleted);
        if (segment === undefined) break;
        await this.readFrom(segment, out);
      }
    } finally {
      this.readInFlight = false;
    }
    return out;
  }

  /** The record is done with: delivered, or dropped and counted. */
  settle({ segment, index }: { segment: Segment; index: number }): void {
    if (index < segment.acked || segment.ahead.has(index)) return;
    if (index === segment.acked) {
      segment.acked++;
      while (segment.ahead.delete(segment.acked)) segment.acked++;
    } else {
      segment.ahead.add(index);
    }
    if (segment.deleted) {
      if (segment.readIndex - segment.acked - segment.ahead.size <= 0) this.dropped.delete(segment);
      return;
    }
    this.deleteIfDone(segment);
    this.updateSpooled();
    this.ackChanged();
  }

  /**
   * Writes the ack file now, and closes the files. `keep`: what is not done with stays for the
   * next start; else the folder is removed.
   */
  closeSync(keep: boolean): void {
    this.closed = true;
    clearTimeout(this.ackTimer);
    for (const segment of this.segments) void segment.handle?.close().catch(() => undefined);
    void this.reading?.handle.close().catch(() => undefined);
    if (keep) {
      try {
        fs.writeFileSync(join(this.folder.path, ACK_FILE), this.ackText());
      } catch {
        // The next start resends what was acknowledged since the last ack file: not lost.
      }
    }
    this.folder.release(keep);
  }

  private async begin(): Promise<Segment> {
    const previous = this.active;
    if (previous !== undefined) {
      previous.sealed = true;
      const handle = previous.handle;
      previous.handle = undefined;
      await handle?.close();
      this.deleteIfDone(previous);
    }
    this.sequence++;
    const stamp = String(Date.now()).padStart(14, '0');
    const sequence = String(this.sequence).padStart(8, '0');
    const name = `${stamp}-${process.pid}-${this.tag}-${sequence}${SEGMENT_SUFFIX}`;
    const segment = new Segment(name, this.folder.segmentPath(name), {
      sealed: false,
      acked: 0,
      headerBytes: this.header.length,
    });
    segment.handle = await open(segment.path, 'wx');
    await segment.handle.write(this.header, 0, this.header.length, 0);
    segment.size = this.header.length;
    this.totalBytes += this.header.length;
    this.insert(segment);
    this.active = segment;
    return segment;
  }

  private insert(segment: Segment): void {
    let at = this.segments.length;
    while (at > 0 && this.segments[at - 1].name > segment.name) at--;
    this.segments.splice(at, 0, segment);
  }

  /** Drops a segment for room: its records not read yet are lost, counted `spool-full`. */
  private drop(segment: Segment): void {
    // Records of it handed over from memory but not taken yet: unread after all.
    const kept = this.tail.filter((record) => record.segment !== segment);
    segment.readIndex -= this.tail.length - kept.length;
    this.tail = kept;
    const unread = Math.max(0, segment.records - Math.max(segment.readIndex, segment.acked));
    if (unread > 0) this.options.stats.drop('spool-full', unread);
    this.remove(segment);
    if (segment.readIndex - segment.acked - segment.ahead.size > 0) this.dropped.add(segment);
    this.updateSpooled();
    this.ackChanged();
  }

  private remove(segment: Segment): void {
    segment.deleted = true;
    this.segments.splice(this.segments.indexOf(segment), 1);
    this.totalBytes -= segment.size;
    if (this.active === segment) this.active = undefined;
    if (this.reading?.segment === segment) this.closeReading();
    const handle = segment.handle;
    segment.handle = undefined;
    void handle?.close().catch(() => undefined);
    unlink(segment.path).catch(() => undefined);
  }

  private deleteIfDone(segment: Segment): void {
    if (!segment.sealed || segment.deleted || segment.unread) return;
    if (segment.acked < segment.records) return;
    this.remove(segment);
  }

  /** Counts a taken-over segment's records by its block headers, and checks its file header. */
  private async count(segment: Segment): Promise<void> {
    let handle: FileHandle | undefined;
    try {
      handle = await open(segment.path, 'r');
      const { size } = await handle.stat();
      segment.size = size;
      if (size === 0) {
        // Made, and killed before its first byte: nothing in it.
        segment.readOffset = 0;
        segment.records = segment.acked;
        return;
      }
      const first = Buffer.alloc(Math.min(size, this.header.length));
      await handle.read(first, 0, first.length, 0);
      if (!first.equals(this.header)) {
        // Not a segment of this kind, or its first bytes are damaged: unreadable as a whole.
        segment.readOffset = 0;
        segment.records = Math.max(1, segment.acked + 1);
        return;
      }
      segment.readOffset = this.header.length;
      let offset = this.header.length;
      let records = 0;
      while (offset < size) {
        const chunk = Buffer.alloc(Math.min(READ_CHUNK_BYTES, size - offset));
        await handle.read(chunk, 0, chunk.length, offset);
        let at = 0;
        let stop = false;
        while (at < chunk.length) {
          const found = readBlock(chunk, at, false);
          if (found.kind === 'counted') {
            records += found.records;
            at += found.size;
          } else if (found.kind === 'incomplete' && offset + at + found.need <= size) {
            break; // the block goes on past this chunk
          } else {
            // Torn at the end, or unreadable from here: counted as the records it said it
            // held, or as one.
            records += found.kind === 'incomplete' ? found.records : 1;
            stop = true;
            break;
          }
        }
        if (stop) break;
        if (at === 0) {
          // One block larger than a chunk: hop over it by its header.
          const found = readBlock(chunk, 0, false);
          if (found.kind !== 'incomplete') break;
          records += found.records;
          offset += found.need;
          continue;
        }
        offset += at;
      }
      segment.records = Math.max(records, segment.acked);
    } catch {
      segment.records = Math.max(1, segment.acked + 1);
      segment.size = segment.readOffset + 1;
    } finally {
      await handle?.close().catch(() => undefined);
    }
  }

  private async readFrom(segment: Segment, out: SpooledRecord[]): Promise<void> {
    const { stats } = this.options;
    const corrupt = (records: number): void => {
      for (let i = 0; i < records; i++) {
        const index = segment.readIndex++;
        if (index < segment.acked || segment.ahead.has(index)) continue;
        stats.drop('spool-corrupt', 1);
        this.settle({ segment, index });
      }
    };
    const finish = (): void => {
      // Whatever the headers promised and could not be read is counted too.
      if (segment.readIndex < segment.records) corrupt(segment.records - segment.readIndex);
      segment.readOffset = segment.size;
      this.closeReading();
      this.deleteIfDone(segment);
    };
    let handle: FileHandle;
    try {
      handle = await this.readHandle(segment);
    } catch {
      finish();
      return;
    }
    let want = Math.min(READ_CHUNK_BYTES, segment.size - segment.readOffset);
    for (;;) {
      const chunk = Buffer.alloc(want);
      const { bytesRead } = await handle.read(chunk, 0, want, segment.readOffset);
      if (segment.deleted) return; // dropped for room while this read ran
      const data = chunk.subarray(0, bytesRead);
      let at = 0;
      while (at < bytesRead) {
        const found = readBlock(data, at, true);
        if (found.kind === 'block') {
          for (const line of found.lines) {
            const index = segment.readIndex++;
            if (index < segment.acked || segment.ahead.has(index)) continue;
            out.push({ line, segment, index });
          }
          at += found.size;
        } else if (found.kind === 'corrupt') {
          corrupt(found.records);
          at += found.size;
        } else if (found.kind === 'incomplete') {
          break;
        } else {
          segment.readOffset += at;
          finish();
          return;
        }
      }
      segment.readOffset += at;
      if (at > 0 || !segment.unread) {
        if (!segment.unread && segment.sealed) finish();
        return;
      }
      // Nothing whole in the chunk: one block larger than it, or a torn one at the end (or a
      // file shorter than it was).
      const found = readBlock(data, 0, false);
      const need = found.kind === 'incomplete' ? found.need : Infinity;
      if (bytesRead < want || need <= want || segment.readOffset + need > segment.size) {
        finish();
        return;
      }
      want = need;
    }
  }

  private async readHandle(segment: Segment): Promise<FileHandle> {
    if (this.reading?.segment === segment) return this.reading.handle;
    this.closeReading();
    const handle = await open(segment.path, 'r');
    this.reading = { segment, handle };
    return handle;
  }

  private closeReading(): void {
    const reading = this.reading;
    this.reading = undefined;
    void reading?.handle.close().catch(() => undefined);
  }

  private updateSpooled(): void {
    this.options.stats.spooled = Math.max(0, this.unsettled - (this.options.held?.() ?? 0));
  }

  /** Schedules the ack file's write: at most one every {@link ACK_WRITE_DELAY_MILLIS}. */
  private ackChanged(): void {
    this.ackDirty = true;
    if (this.ackTimer !== undefined || this.ackWriting !== undefined || this.closed) return;
    this.ackTimer = setTimeout(() => {
      this.ackTimer = undefined;
      this.ackDirty = false;
      const path = join(this.folder.path, ACK_FILE);
      this.ackWriting = writeFile(`${path}.tmp`, this.ackText())
        .then(() => rename(`${path}.tmp`, path))
        .catch(() => undefined) // the next write, or the one at exit, says it
        .finally(() => {
          this.ackWriting = undefined;
          if (this.ackDirty) this.ackChanged();
        });
    }, ACK_WRITE_DELAY_MILLIS);
    this.ackTimer.unref();
  }

  private ackText(): string {
    return this.segments
      .filter((segment) => segment.acked > 0 || segment.ahead.size > 0)
      .map((segment) => ackLine(segment.name, segment.acked, segment.ahead))
      .join('');
  }
}
