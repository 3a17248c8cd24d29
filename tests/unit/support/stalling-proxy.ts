import net from 'node:net';

/**
 * A TCP proxy in front of a database server that can stop answering, as a host that drops off the network does:
 * once `stall()`ed it passes no byte either way, and new connections are accepted and left silent (nothing is
 * refused or closed, so only the app's own timeouts can end a wait). `resume()` passes bytes again (what was
 * dropped meanwhile stays lost, as in a real outage: a connection that waited through it is of no further use).
 */
export async function stallingProxy(target: string): Promise<{
  /** `target` (a URL) with this proxy's address in place of the server's. */
  url: string;
  stall(): void;
  resume(): void;
  close(): Promise<void>;
}> {
  const upstream = new URL(target);
  const sockets = new Set<net.Socket>();
  let stalled = false;
  const track = (socket: net.Socket) => {
    sockets.add(socket);
    socket.on('error', () => socket.destroy());
    socket.on('close', () => sockets.delete(socket));
    return socket;
  };
  const server = net.createServer((client) => {
    track(client);
    if (stalled) return;
    const database = track(net.connect(Number(upstream.port || 5432), upstream.hostname));
    client.on('data', (chunk) => stalled || database.write(chunk));
    database.on('data', (chunk) => stalled || client.write(chunk));
    client.on('close', () => database.destroy());
    database.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const proxied = new URL(target);
  proxied.hostname = '127.0.0.1';
  proxied.port = String((server.address() as net.AddressInfo).port);
  return {
    url: proxied.toString(),
    stall: () => (stalled = true),
    resume: () => (stalled = false),
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
