/** Message attributes: their validation, their size, and the selection a receiver asks for. */
import { errors } from './errors.js';
import type { MessageAttributeValue } from './message.js';
import type { Json } from './parameters.js';

/** The characters SQS accepts: #x9 | #xA | #xD | #x20–#xD7FF | #xE000–#xFFFD | #x10000–#x10FFFF. */
export const INVALID_CHARACTER = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

const ATTRIBUTE_NAME = /^[A-Za-z0-9_.-]{1,256}$/;
const DATA_TYPE = /^(String|Number|Binary)(\.[^\s]+)?$/;

export const parseMessageAttributes = (raw: unknown): Record<string, MessageAttributeValue> => {
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw errors.invalidParameter('Value for parameter MessageAttributes is invalid.');
  }
  const entries = Object.entries(raw as Json);
  if (entries.length > 10) {
    throw errors.invalidParameter(
      `Number of message attributes [${entries.length}] exceeds the allowed maximum [10].`,
    );
  }
  const result: Record<string, MessageAttributeValue> = {};
  for (const [name, value] of entries) {
    if (
      !ATTRIBUTE_NAME.test(name) ||
      /^(aws\.|amazon\.)/i.test(name) ||
      name.startsWith('.') ||
      name.endsWith('.') ||
      name.includes('..')
    ) {
      throw errors.invalidParameter(`Message attribute name '${name}' is invalid.`);
    }
    if (typeof value !== 'object' || value === null) {
      throw errors.invalidParameter(`The message attribute '${name}' is invalid.`);
    }
    const attribute = value as Json;
    const dataType = attribute.DataType;
    if (typeof dataType !== 'string' || dataType.length > 256 || !DATA_TYPE.test(dataType)) {
      throw errors.invalidParameter(`The message attribute '${name}' has an invalid message attribute type.`);
    }
    const base = dataType.split('.')[0];
    if (base === 'Binary') {
      const binary = attribute.BinaryValue;
      if (typeof binary !== 'string' || binary === '') {
        throw errors.invalidParameter(
          `The message attribute '${name}' must contain non-empty message attribute value for message attribute type 'Binary'.`,
        );
      }
      result[name] = { DataType: dataType, BinaryValue: binary };
    } else {
      const text = attribute.StringValue;
      if (typeof text !== 'string' || text === '') {
        throw errors.invalidParameter(
          `The message attribute '${name}' must contain non-empty message attribute value for message attribute type '${base}'.`,
        );
      }
      if (INVALID_CHARACTER.test(text)) throw errors.invalidMessageContents();
      if (base === 'Number' && !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text.trim())) {
        throw errors.invalidParameter(
          `Can't cast the value of message (user) attribute '${name}' to a number.`,
        );
      }
      result[name] = { DataType: dataType, StringValue: text };
    }
  }
  return result;
};

export const attributesSize = (attributes: Record<string, MessageAttributeValue>) =>
  Object.entries(attributes).reduce(
    (sum, [name, value]) =>
      sum +
      Buffer.byteLength(name) +
      Buffer.byteLength(value.DataType) +
      (value.BinaryValue !== undefined
        ? Buffer.from(value.BinaryValue, 'base64').byteLength
        : Buffer.byteLength(value.StringValue ?? '')),
    0,
  );

/** Message attribute names a receiver asked for: `All`, `.*`, `prefix.*` or exact names. */
export const selectAttributes = (
  attributes: Record<string, MessageAttributeValue>,
  requested: string[],
): Record<string, MessageAttributeValue> => {
  const selected: Record<string, MessageAttributeValue> = {};
  for (const [name, value] of Object.entries(attributes)) {
    const wanted = requested.some(
      (pattern) =>
        pattern === 'All' ||
        pattern === '.*' ||
        pattern === name ||
        (pattern.endsWith('.*') && name.startsWith(pattern.slice(0, -1))),
    );
    if (wanted) selected[name] = value;
  }
  return selected;
};
