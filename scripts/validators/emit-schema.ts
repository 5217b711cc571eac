/**
 * Writes one zod schema out as a compiled validator expression, walking `schema._zod.def` and the
 * checks in `def.checks`. Every construct it knows is listed here with every option of its def it
 * honours; any other type, check or option is refused with the schema's path, so a construct can
 * never be skipped silently.
 */
import type { FunctionRegistry } from './function-registry.js';
import {
  enumValues,
  HTTP_PROTOCOL,
  LENGTH_WHEN,
  MESSAGE_CLOSURES,
  NUMBER_FORMAT_RANGES,
  OVERWRITES,
  PATTERN_FORMATS,
} from './known-zod.js';
import { CannotCompile, jsonLiteral, numberLiteral, regexLiteral } from './literals.js';
import type { SharedExpressions } from './shared-expressions.js';

type Def = Record<string, unknown> & { type?: string; check?: string; checks?: unknown[] };
interface Zod {
  _zod: { def: Def; values?: ReadonlySet<unknown> };
}

export const isSchema = (value: unknown): value is Zod =>
  typeof value === 'object' && value !== null && '_zod' in value;

/** What the module being written needs: imports of check functions, and its shared expressions. */
export interface EmitContext {
  registry: FunctionRegistry;
  /** Import of a registry function: module → names. */
  imports: Map<string, Set<string>>;
  shared: SharedExpressions;
}

const defOf = (schema: unknown, where: string): Def => {
  if (!isSchema(schema)) throw new CannotCompile(where, 'not a zod schema');
  return schema._zod.def;
};

const onlyKeys = (def: Def, allowed: readonly string[], where: string) => {
  const unknown = Object.keys(def).filter((key) => !allowed.includes(key));
  if (unknown.length) {
    throw new CannotCompile(
      where,
      `the ${def.type ?? def.check} option(s) ${unknown.join(', ')} are not handled`,
    );
  }
};

const functionName = (fn: unknown, ctx: EmitContext, where: string): string => {
  const named = ctx.registry.get(fn);
  if (!named) {
    throw new CannotCompile(
      where,
      `the function ${String(fn).slice(0, 80)} is not a named export of a check function module (scripts/validators/sources.ts)`,
    );
  }
  const names = ctx.imports.get(named.module) ?? new Set<string>();
  names.add(named.name);
  ctx.imports.set(named.module, names);
  return named.name;
};

const errorMap = (error: unknown, ctx: EmitContext, where: string): string | undefined => {
  if (error === undefined) return undefined;
  if (typeof error !== 'function') throw new CannotCompile(where, 'the error is not a function');
  if (MESSAGE_CLOSURES.has(String(error))) {
    const message: unknown = error();
    if (typeof message !== 'string') throw new CannotCompile(where, 'the error message is not a string');
    return `() => ${JSON.stringify(message)}`;
  }
  return functionName(error, ctx, where);
};

/** `{ error, abort }` of a check, as source text. */
const checkOptions = (def: Def, ctx: EmitContext, where: string): string => {
  const parts: string[] = [];
  const error = errorMap(def.error, ctx, where);
  if (error) parts.push(`error: ${error}`);
  if (def.abort !== undefined) parts.push(`abort: ${Boolean(def.abort)}`);
  return `{ ${parts.join(', ')} }`;
};

const LENGTHS: Readonly<Record<string, [string, string]>> = {
  min_length: ['minLength', 'minimum'],
  max_length: ['maxLength', 'maximum'],
};
const BOUNDS: Readonly<Record<string, string>> = { less_than: 'lessThan', greater_than: 'greaterThan' };

/** One check of `def.checks`, or null for one without runtime effect (meta, describe). */
const emitCheck = (check: unknown, ctx: EmitContext, where: string): string | null => {
  const def = defOf(check, where);
  const at = `${where} (check ${def.check})`;
  switch (def.check) {
    case 'meta':
    case 'describe':
      onlyKeys(def, ['check'], at);
      return null;
    case 'less_than':
    case 'greater_than':
      onlyKeys(def, ['check', 'value', 'inclusive', 'error', 'abort'], at);
      return `v.${BOUNDS[def.check]}(${numberLiteral(def.value, at)}, ${Boolean(def.inclusive)}, ${checkOptions(def, ctx, at)})`;
    case 'number_format': {
      onlyKeys(def, ['type', 'check', 'format', 'error', 'abort', 'checks', 'coerce'], at);
      if (def.checks?.length || def.coerce)
        throw new CannotCompile(at, 'a number format with checks of its own');
      return `v.numberFormat(${numberFormat(def, at)}, ${checkOptions(def, ctx, at)})`;
    }
    case 'min_length':
    case 'max_length': {
      const [builder, bound] = LENGTHS[def.check] as [string, string];
      onlyKeys(def, ['check', bound, 'error', 'abort', 'when'], at);
      if (def.when !== LENGTH_WHEN) throw new CannotCompile(at, 'a `when` of its own');
      return `v.${builder}(${numberLiteral(def[bound], at)}, ${checkOptions(def, ctx, at)})`;
    }
    case 'string_format':
      onlyKeys(def, ['check', 'format', 'pattern', 'error', 'abort'], at);
      if (!PATTERN_FORMATS.has(String(def.format)))
        throw new CannotCompile(at, `the format ${String(def.format)}`);
      return `v.pattern(${JSON.stringify(def.format)}, ${regexLiteral(def.pattern, at)}, ${checkOptions(def, ctx, at)})`;
    case 'custom':
      onlyKeys(def, ['type', 'check', 'fn', 'error', 'abort'], at);
      return `v.refine(${functionName(def.fn, ctx, at)}, ${checkOptions(def, ctx, at)})`;
    case 'overwrite': {
      onlyKeys(def, ['check', 'tx'], at);
      const tx = OVERWRITES.get(String(def.tx));
      if (!tx) throw new CannotCompile(at, `the transform ${String(def.tx)}`);
      return `v.overwrite(${tx})`;
    }
    default:
      throw new CannotCompile(at, `the check ${String(def.check)}`);
  }
};

const numberFormat = (def: Def, where: string): string => {
  const range = NUMBER_FORMAT_RANGES[String(def.format)];
  if (!range) throw new CannotCompile(where, `the number format ${String(def.format)}`);
  return `${JSON.stringify(def.format)}, [${numberLiteral(range[0], where)}, ${numberLiteral(range[1], where)}]`;
};

/** `{ error, coerce, checks }` of a type. */
const typeOptions = (def: Def, ctx: EmitContext, where: string): string => {
  const parts: string[] = [];
  const error = errorMap(def.error, ctx, where);
  if (error) parts.push(`error: ${error}`);
  if (def.coerce) parts.push('coerce: true');
  const checks = (def.checks ?? [])
    .map((check, i) => emitCheck(check, ctx, `${where}[check ${i}]`))
    .filter((check): check is string => check !== null);
  if (checks.length) parts.push(`checks: [${checks.join(', ')}]`);
  return `{ ${parts.join(', ')} }`;
};

const TYPE_KEYS = ['type', 'checks', 'error'];

/** The check a string format is itself, as `(inst) => check`. */
const stringFormat = (def: Def, where: string): string | undefined => {
  if (def.format === undefined) return undefined;
  const options: string[] = [];
  if (def.abort !== undefined) options.push(`abort: ${Boolean(def.abort)}`);
  if (def.format === 'url') {
    onlyKeys(def, [...TYPE_KEYS, 'format', 'check', 'abort', 'protocol', 'hostname', 'normalize'], where);
    for (const key of ['protocol', 'hostname'] as const) {
      if (key in def) options.push(`${key}: ${regexLiteral(def[key], where)}`);
    }
    if ('normalize' in def) options.push(`normalize: ${Boolean(def.normalize)}`);
    const protocol = def.protocol as RegExp | undefined;
    if (!def.normalize && protocol?.source === HTTP_PROTOCOL.source) options.push('requireSlashes: true');
    return `(inst) => v.url({ ${options.join(', ')} }, inst)`;
  }
  if (!PATTERN_FORMATS.has(String(def.format)))
    throw new CannotCompile(where, `the string format ${String(def.format)}`);
  // The pattern zod derived from these options is what is written; they have no other effect.
  onlyKeys(
    def,
    [...TYPE_KEYS, 'format', 'check', 'abort', 'pattern', 'offset', 'local', 'precision', 'version'],
    where,
  );
  return `(inst) => v.pattern(${JSON.stringify(def.format)}, ${regexLiteral(def.pattern, where)}, { ${options.join(', ')} }, inst)`;
};

const emitType = (def: Def, ctx: EmitContext, where: string): string => {
  const child = (schema: unknown, part: string) => emitSchema(schema, ctx, `${where}${part}`);
  switch (def.type) {
    case 'string': {
      if (def.format === undefined) onlyKeys(def, [...TYPE_KEYS, 'coerce'], where);
      const self = stringFormat(def, where);
      return `v.string(${typeOptions(def, ctx, where)}${self ? `, ${self}` : ''})`;
    }
    case 'number': {
      if (def.check === undefined) {
        onlyKeys(def, [...TYPE_KEYS, 'coerce'], where);
        return `v.number(${typeOptions(def, ctx, where)})`;
      }
      onlyKeys(def, [...TYPE_KEYS, 'coerce', 'check', 'format', 'abort'], where);
      if (def.check !== 'number_format')
        throw new CannotCompile(where, `a number that is a ${def.check} check`);
      const abort = def.abort === undefined ? '' : `abort: ${Boolean(def.abort)}`;
      return `v.number(${typeOptions(def, ctx, where)}, (inst) => v.numberFormat(${numberFormat(def, where)}, { ${abort} }, inst))`;
    }
    case 'boolean':
      onlyKeys(def, [...TYPE_KEYS, 'coerce'], where);
      return `v.boolean(${typeOptions(def, ctx, where)})`;
    case 'never':
      onlyKeys(def, TYPE_KEYS, where);
      return `v.never(${typeOptions(def, ctx, where)})`;
    case 'enum':
      onlyKeys(def, [...TYPE_KEYS, 'entries'], where);
      return `v.picklist(${jsonLiteral(enumValues(def.entries as Record<string, unknown>), where)}, ${typeOptions(def, ctx, where)})`;
    case 'literal':
      onlyKeys(def, [...TYPE_KEYS, 'values'], where);
      return `v.literal(${jsonLiteral(def.values, where)}, ${typeOptions(def, ctx, where)})`;
    case 'object': {
      onlyKeys(def, [...TYPE_KEYS, 'shape', 'catchall'], where);
      const strict = def.catchall !== undefined;
      if (strict) {
        const catchall = defOf(def.catchall, `${where}(catchall)`);
        if (catchall.type !== 'never' || Object.keys(catchall).length > 1) {
          throw new CannotCompile(where, 'a catchall other than never() (strictObject)');
        }
      }
      const shape = def.shape as Record<string, unknown>;
      if (Object.getOwnPropertySymbols(shape).length) throw new CannotCompile(where, 'symbol keys');
      const fields = Object.entries(shape).map(
        ([key, field]) => `${JSON.stringify(key)}: ${child(field, `.${key}`)}`,
      );
      return `v.object({ ${fields.join(', ')} }, ${strict}, ${typeOptions(def, ctx, where)})`;
    }
    case 'array':
      onlyKeys(def, [...TYPE_KEYS, 'element'], where);
      return `v.array(${child(def.element, '[]')}, ${typeOptions(def, ctx, where)})`;
    case 'record':
      onlyKeys(def, [...TYPE_KEYS, 'keyType', 'valueType', 'partial'], where);
      return `v.record(${child(def.keyType, '(key)')}, ${child(def.valueType, '(value)')}, ${Boolean(def.partial)}, ${typeOptions(def, ctx, where)})`;
    case 'union': {
      onlyKeys(def, [...TYPE_KEYS, 'options'], where);
      const options = (def.options as unknown[]).map((option, i) => child(option, `|${i}`));
      return `v.union([${options.join(', ')}], ${typeOptions(def, ctx, where)})`;
    }
    case 'optional':
    case 'nullable':
      onlyKeys(def, [...TYPE_KEYS, 'innerType'], where);
      return `v.${def.type}(${child(def.innerType, '')}, ${typeOptions(def, ctx, where)})`;
    case 'default':
      onlyKeys(def, [...TYPE_KEYS, 'innerType', 'defaultValue'], where);
      return `v.withDefault(${child(def.innerType, '')}, () => (${jsonLiteral(def.defaultValue, `${where}(default)`)}), ${typeOptions(def, ctx, where)})`;
    default:
      throw new CannotCompile(where, `the type ${String(def.type)}`);
  }
};

/** The schema as a token of ctx.shared: the same rules give the same validator, declared once. */
export const emitSchema = (schema: unknown, ctx: EmitContext, where: string): string =>
  ctx.shared.share(emitType(defOf(schema, where), ctx, where));
