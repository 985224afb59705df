// Starts one HTTP bench server (bench/http-server-child.mjs, or another build's copy) in its
// own process and waits for the port it listens on. Shared by the req/s bench and the
// instruction count, which run the same servers under different launchers.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

export const SERVER_CHILD = fileURLToPath(new URL('./http-server-child.mjs', import.meta.url));

/**
 * `launcher`: the command and arguments put before `node <script>` (`taskset -c 0`, valgrind),
 * none by default. Resolves once the server listens: its port, its process, and `stop`, which
 * closes its stdin (the child then exits).
 */
export async function startHttpServer(
  variant,
  { script = SERVER_CHILD, launcher = [], stderr = 'inherit' } = {},
) {
  const [command, ...args] = [...launcher, process.execPath, script];
  const child = spawn(command, args, {
    env: { ...process.env, BENCH_VARIANT: variant },
    stdio: ['pipe', 'pipe', stderr],
  });
  const [line] = await once(child.stdout, 'data');
  const { port } = JSON.parse(String(line).split('\n')[0]);
  return { port, child, stop: () => child.stdin.end() };
}
