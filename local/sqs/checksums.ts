import { createHash } from 'node:crypto';
import type { MessageAttributeValue } from './message.js';

export const md5Hex = (data: Buffer | string) => createHash('md5').update(data).digest('hex');

/**
 * SQS's MD5 of message attributes: for each attribute, sorted by name, the name, the data type
 * and the value, each as a 4-byte big-endian length followed by the bytes, with a transport
 * byte (1 string, 2 binary) before the value.
 */
export const md5OfMessageAttributes = (attributes: Record<string, MessageAttributeValue>): string => {
  const parts: Buffer[] = [];
  const lengthPrefixed = (bytes: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.byteLength);
    parts.push(length, bytes);
  };
  for (const name of Object.keys(attributes).sort()) {
    const attribute = attributes[name];
    if (!attribute) continue;
    lengthPrefixed(Buffer.from(name, 'utf8'));
    lengthPrefixed(Buffer.from(attribute.DataType, 'utf8'));
    if (attribute.BinaryValue !== undefined) {
      parts.push(Buffer.from([2]));
      lengthPrefixed(Buffer.from(attribute.BinaryValue, 'base64'));
    } else {
      parts.push(Buffer.from([1]));
      lengthPrefixed(Buffer.from(attribute.StringValue ?? '', 'utf8'));
    }
  }
  return md5Hex(Buffer.concat(parts));
};
