import { createHash } from 'node:crypto';

/**
 * A UUID derived from the fact it names (RFC 9562 version 8, from SHA-256): the same fact
 * always gets the same id, however often it is published, so consumers can deduplicate.
 */
export const deterministicEventId = (...parts: readonly (string | number)[]): string => {
  const hash = createHash('sha256').update(parts.join('\u001f')).digest();
  const bytes = Buffer.from(hash.subarray(0, 16));
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x80;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
};
