/**
 * Random hex for the ids the local gateway makes on every request (the X-Amzn-Trace-Id), taken
 * from a pool refilled a few KB at a time. `randomBytes(n)` asks the system for entropy on every
 * call: under load that alone cost the gateway more than its routing (see bench/local-api.ts).
 * `randomUUID` pools the same way.
 */
import { randomFillSync } from 'node:crypto';

const POOL_BYTES = 4096;

/** A source of `bytes` random bytes as hex; `fill` refills the pool (tests count its calls). */
export const createRandomHex = (
  poolBytes = POOL_BYTES,
  fill: (pool: Buffer) => unknown = randomFillSync,
): ((bytes: number) => string) => {
  const pool = Buffer.alloc(poolBytes);
  let offset = poolBytes;
  return (bytes) => {
    if (!Number.isInteger(bytes) || bytes < 1 || bytes > poolBytes) {
      throw new Error(`randomHex takes 1 to ${poolBytes} bytes, got ${bytes}`);
    }
    if (offset + bytes > poolBytes) {
      fill(pool);
      offset = 0;
    }
    const hex = pool.toString('hex', offset, offset + bytes);
    offset += bytes;
    return hex;
  };
};

export const randomHex = createRandomHex();
