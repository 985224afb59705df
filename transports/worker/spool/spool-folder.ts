import * as fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { join } from 'node:path';

/** The file in a process's folder that names its owner; its mtime is the owner's heartbeat. */
const OWNER_FILE = 'owner.json';
/** The file in a process's folder that says how far each segment was acknowledged. */
export const ACK_FILE = 'ack';
export const SEGMENT_SUFFIX = '.seg';

/** How often an owner touches its owner file, and looks for folders left by others. */
export const HEARTBEAT_MILLIS = 10_000;
/**
 * An owner silent this long is gone, whoever it was: the only test for an owner on another
 * host (or in another container) — whose pid says nothing here — and for a pid now reused.
 */
export const STALE_MILLIS = 60_000;

// When this process started, give or take the clock's resolution: `process.uptime()` counts
// from the process's start in a worker thread too.
const PROCESS_START = Date.now() - Math.round(process.uptime() * 1000);
const HOST = hostname().replace(/[^A-Za-z0-9_-]/g, '_') || 'host';

/** What an owner file says. */
interface Owner {
  readonly pid: number;
  readonly host: string;
  readonly processStart: number;
}

/** How far a segment's records were done with: all before `acked`, and those in `ahead`. */
export interface SegmentAck {
  readonly acked: number;
  readonly ahead: readonly number[];
}

/** A segment taken over from a gone owner's folder, and which of its records were done with. */
export interface AdoptedSegment extends SegmentAck {
  readonly name: string;
}

/**
 * This process's folder in a spool directory, and the folders others left. Several processes
 * (or several transports of one process) may share a directory: each writes only in its own
 * folder — `<kind>.<host>.<pid>.<start>.<random>`, made whole under a hidden name and then
 * renamed, so a folder is never seen without its owner file. A folder whose owner is gone —
 * no owner file (the owner released it at exit), a dead pid on this host, this pid of an
 * earlier process, or a heartbeat older than {@link STALE_MILLIS} — is taken over by the first
 * process of the same kind to move its segments into its own folder (a rename: one process
 * wins each segment). Segments keep their names, which sort oldest first.
 *
 * @example
 * ```ts
 * const folder = SpoolFolder.create('/var/spool/app', 'pino');
 * const leftovers = folder.adoptLeftovers();
 * ```
 */
export class SpoolFolder {
  private heartbeat: NodeJS.Timeout | undefined;
  private readonly warnedKinds = new Set<string>();

  private constructor(
    readonly directory: string,
    readonly kind: string,
    readonly path: string,
  ) {}

  /** Makes this process's folder in `directory` (created if missing). Throws on an I/O error. */
  static create(directory: string, kind: string): SpoolFolder {
    fs.mkdirSync(directory, { recursive: true });
    const name = `${kind}.${HOST}.${process.pid}.${Date.now().toString(36)}.${randomHex(4)}`;
    const hidden = join(directory, `.new-${name}`);
    fs.mkdirSync(hidden);
    const owner: Owner = { pid: process.pid, host: HOST, processStart: PROCESS_START };
    fs.writeFileSync(join(hidden, OWNER_FILE), JSON.stringify(owner));
    const path = join(directory, name);
    fs.renameSync(hidden, path);
    return new SpoolFolder(directory, kind, path);
  }

  /** A segment's path in this folder. */
  segmentPath(name: string): string {
    return join(this.path, name);
  }

  /**
   * Touches the owner file every {@link HEARTBEAT_MILLIS} and calls `onBeat` (to look for
   * leftovers again: a process that overlapped this one's start may be gone now).
   */
  startHeartbeat(onBeat: () => void): void {
    const owner = join(this.path, OWNER_FILE);
    this.heartbeat = setInterval(() => {
      const now = new Date();
      fs.utimes(owner, now, now, () => undefined);
      onBeat();
    }, HEARTBEAT_MILLIS);
    this.heartbeat.unref();
  }

  /**
   * Moves the segments of every gone owner's folder of this kind into this folder, and
   * returns them with what their owner had acknowledged. Folders of another kind are left for
   * a transport of that kind (said once on stderr through `warn`).
   */
  adoptLeftovers(warn: (line: string) => void = () => undefined): AdoptedSegment[] {
    const adopted: AdoptedSegment[] = [];
    for (const entry of safeReadDir(this.directory)) {
      if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
      const folder = join(this.directory, entry.name);
      if (folder === this.path || !isGone(folder)) continue;
      const kind = entry.name.split('.')[0] ?? '';
      if (kind !== this.kind) {
        if (!this.warnedKinds.has(kind)) {
          this.warnedKinds.add(kind);
          warn(
            `tracelink: the spool directory ${this.directory} holds records a ${kind} ` +
              `transport left (${entry.name}); only a ${kind} transport sends them`,
          );
        }
        continue;
      }
      adopted.push(...this.takeOver(folder));
    }
    return adopted;
  }

  private takeOver(folder: string): AdoptedSegment[] {
    const acked = readAckFile(join(folder, ACK_FILE));
    const taken: AdoptedSegment[] = [];
    for (const name of safeReadDir(folder).map((e) => e.name)) {
      if (!name.endsWith(SEGMENT_SUFFIX)) continue;
      try {
        fs.renameSync(join(folder, name), join(this.path, name));
      } catch {
        continue; // another process took it first
      }
      taken.push({ name, ...(acked.get(name) ?? { acked: 0, ahead: [] }) });
    }
    for (const name of [OWNER_FILE, ACK_FILE, `${ACK_FILE}.tmp`]) {
      fs.rmSync(join(folder, name), { force: true });
    }
    try {
      fs.rmdirSync(folder);
    } catch {
      // Not empty (a file that is not ours), or removed by another process: left as it is.
    }
    return taken;
  }

  /**
   * At exit. `keep`: records stay; the owner file goes, so the next start takes the folder
   * over at once. Otherwise the folder goes.
   */
  release(keep: boolean): void {
    clearInterval(this.heartbeat);
    try {
      if (keep) fs.rmSync(join(this.path, OWNER_FILE), { force: true });
      else fs.rmSync(this.path, { recursive: true, force: true });
    } catch {
      // The next start finds the folder as a dead owner's; nothing is lost either way.
    }
  }
}

/** Whether the owner of `folder` is gone (see {@link SpoolFolder}). */
function isGone(folder: string): boolean {
  let text: string;
  let mtimeMs: number;
  try {
    const file = join(folder, OWNER_FILE);
    mtimeMs = fs.statSync(file).mtimeMs;
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return true; // released at exit, or never complete
  }
  if (Date.now() - mtimeMs > STALE_MILLIS) return true;
  let owner: Partial<Owner>;
  try {
    owner = JSON.parse(text) as Partial<Owner>;
  } catch {
    return true;
  }
  if (owner.host !== HOST || typeof owner.pid !== 'number') return false;
  // Another transport of this process is alive; an earlier process with this pid is not.
  if (owner.pid === process.pid) return Math.abs((owner.processStart ?? 0) - PROCESS_START) > 2000;
  try {
    process.kill(owner.pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/**
 * An ack file's lines: `<segment> <records done with from the start>[ <done after them>]`, the
 * latter as ranges (`7-9,12`). Empty when missing; a line it cannot read is left out (its
 * records are sent again: never lost).
 */
export function readAckFile(path: string): Map<string, SegmentAck> {
  const acks = new Map<string, SegmentAck>();
  let text = '';
  try {
    text = fs.readFileSync(path, 'utf8');
  } catch {
    return acks;
  }
  for (const line of text.split('\n')) {
    const [name, count, ranges = ''] = line.split(' ');
    const acked = Number(count);
    if (name === undefined || !name.endsWith(SEGMENT_SUFFIX) || !Number.isInteger(acked)) continue;
    const ahead: number[] = [];
    for (const range of ranges.split(',')) {
      const [from, to = from] = range.split('-').map(Number);
      if (from === undefined || !Number.isInteger(from) || !Number.isInteger(to)) continue;
      for (let i = from; i <= to && i - from < 1_000_000; i++) ahead.push(i);
    }
    acks.set(name, { acked, ahead });
  }
  return acks;
}

/** The ack file line of a segment (see {@link readAckFile}). */
export function ackLine(name: string, acked: number, ahead: ReadonlySet<number>): string {
  if (ahead.size === 0) return `${name} ${acked}\n`;
  const sorted = [...ahead].sort((a, b) => a - b);
  const ranges: string[] = [];
  let from = sorted[0];
  let to = from;
  for (const n of sorted.slice(1)) {
    if (n === to + 1) to = n;
    else {
      ranges.push(from === to ? `${from}` : `${from}-${to}`);
      from = to = n;
    }
  }
  ranges.push(from === to ? `${from}` : `${from}-${to}`);
  return `${name} ${acked} ${ranges.join(',')}\n`;
}

function safeReadDir(path: string): fs.Dirent[] {
  try {
    return fs.readdirSync(path, { withFileTypes: true });
  } catch {
    return [];
  }
}

function randomHex(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}
