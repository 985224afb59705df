import { createServer } from 'node:net';
import type { AddressInfo, Server } from 'node:net';

function listenOnAnyPort(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

/**
 * `count` distinct ports on 127.0.0.1 that were free a moment ago. All are held open together
 * before being released, so the kernel cannot hand out the same port twice.
 *
 * @example
 * const [grpcPort, httpPort] = await findFreePorts(2);
 */
export async function findFreePorts(count: number): Promise<number[]> {
  const servers = Array.from({ length: count }, () => createServer());
  try {
    return await Promise.all(servers.map(listenOnAnyPort));
  } finally {
    await Promise.all(
      servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))),
    );
  }
}
