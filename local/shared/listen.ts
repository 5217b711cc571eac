import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Starts `server` on `host:port` (0: a free port) and resolves with the port it got. */
export const listen = (server: Server, port: number, host: string): Promise<number> =>
  new Promise<number>((listening, failed) => {
    server.once('error', failed);
    server.listen(port, host, () => {
      server.off('error', failed);
      listening((server.address() as AddressInfo).port);
    });
  });

/** `host` as it goes in a URL: IPv6 addresses in brackets. */
export const urlHost = (host: string): string => (host.includes(':') ? `[${host}]` : host);
