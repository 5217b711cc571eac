/** What the compiled validators (schemas/compiled/, written by `npm run validators`) are built from. */
export {
  greaterThan,
  lessThan,
  maxLength,
  minLength,
  numberFormat,
  overwrite,
  pattern,
  refine,
} from './checks.js';
export { array, nullable, object, optional, record, union, withDefault } from './containers.js';
export { boolean, literal, never, number, picklist, string } from './primitives.js';
export { url } from './url.js';
export { typed, type Validator } from './validator.js';
