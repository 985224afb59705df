import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { pollUntil } from '../poll-until';

/** A broker process started in a process group of its own, so stopping it stops its children. */
export interface BrokerProcess {
  readonly child: ChildProcess;
  /** What it printed so far (stdout and stderr), for failure messages. */
  output(): string;
  /** SIGTERM to the group, SIGKILL after `graceMs`; resolves once the process has exited. */
  stop(graceMs?: number): Promise<void>;
}

export function startBrokerProcess(
  command: string,
  args: string[],
  env: Record<string, string>,
  cwd: string,
): BrokerProcess {
  const child = spawn(command, args, {
    cwd,
    env: { ...process.env, ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000); // bounded: the tail is what explains a failure
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((done) => {
    if (child.exitCode !== null || child.signalCode !== null) done();
    else child.once('exit', () => done());
  });
  return {
    child,
    output: () => output,
    async stop(graceMs = 20_000) {
      signalGroup(child, 'SIGTERM');
      const stopped = await Promise.race([
        exited.then(() => true),
        new Promise<boolean>((done) => setTimeout(() => done(false), graceMs).unref()),
      ]);
      // The group may outlive its leader (a shell script's `erl`); make sure all of it is gone.
      if (!stopped || (await groupAlive(child))) signalGroup(child, 'SIGKILL');
      await exited;
    },
  };
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

async function groupAlive(child: ChildProcess): Promise<boolean> {
  if (child.pid === undefined) return false;
  const pid = child.pid;
  const gone = await pollUntil(
    () => {
      try {
        process.kill(-pid, 0);
        return false;
      } catch {
        return true;
      }
    },
    10_000,
    100,
  );
  return !gone;
}
