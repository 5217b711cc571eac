import type { IncomingMessage } from 'node:http';

/**
 * A request's body, or null once it is known to exceed `limit` bytes (declared in Content-Length or
 * counted while streaming). From then on the rest is drained without being kept, so the caller can
 * answer at once and the connection stays usable.
 */
export const readBody = (request: IncomingMessage, limit: number): Promise<Buffer | null> => {
  const declared = Number(request.headers['content-length']);
  // Neither a length nor chunks: HTTP/1.1 says there is no body (RFC 9112, 6.3), so no stream to wait for.
  if (
    request.headers['transfer-encoding'] === undefined &&
    (request.headers['content-length'] === undefined || declared === 0)
  ) {
    request.resume();
    return Promise.resolve(Buffer.alloc(0));
  }
  return new Promise((resolveBody, reject) => {
    if (Number.isFinite(declared) && declared > limit) {
      request.resume();
      resolveBody(null);
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    request.on('data', (chunk: Buffer) => {
      if (tooLarge) return;
      size += chunk.byteLength;
      if (size > limit) {
        // Stop keeping it, keep draining it, and answer now.
        tooLarge = true;
        chunks.length = 0;
        resolveBody(null);
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolveBody(Buffer.concat(chunks)));
    request.on('error', reject);
  });
};
