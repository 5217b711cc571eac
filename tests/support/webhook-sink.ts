import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  body: string;
  receivedAt: number;
  /** When the sender hung up (its socket closed); undefined while it is open. */
  hungUpAt?: number;
  /** Bytes of the answer's body written before the sender hung up (for `endless` answers). */
  bytesAnswered: number;
}

/** How the sink answers one request. */
export type SinkAnswer =
  | {
      status: number;
      headers?: Record<string, string>;
      /** Writes body bytes until the sender hangs up: a response that never ends. */
      endless?: boolean;
    }
  /** Never answers: the sender has to give up. */
  | 'hang';

const ENDLESS_CHUNK = Buffer.alloc(64 * 1024, 'x');

/** Writes ENDLESS_CHUNK after ENDLESS_CHUNK, as fast as the sender reads, until it hangs up. */
const pumpEndlessly = (res: ServerResponse, hook: ReceivedWebhook) => {
  let more = true;
  while (more && !res.destroyed) {
    hook.bytesAnswered += ENDLESS_CHUNK.length;
    more = res.write(ENDLESS_CHUNK);
  }
  if (!res.destroyed) res.once('drain', () => pumpEndlessly(res, hook));
};

/** A subscriber's endpoint on 127.0.0.1: records what it receives and answers with `respond`. */
export const startWebhookSink = async (
  respond: (hook: ReceivedWebhook) => SinkAnswer = () => ({ status: 204 }),
) => {
  const received: ReceivedWebhook[] = [];
  let answer = respond;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const hook: ReceivedWebhook = {
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        receivedAt: Date.now(),
        bytesAnswered: 0,
      };
      res.socket?.once('close', () => {
        hook.hungUpAt = Date.now();
      });
      received.push(hook);
      const reply = answer(hook);
      if (reply === 'hang') return;
      res.writeHead(reply.status, reply.headers);
      if (reply.endless) pumpEndlessly(res, hook);
      else res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    received,
    /** Changes how the sink answers from now on (an outage, a recovery). */
    answerWith(next: typeof respond) {
      answer = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};
