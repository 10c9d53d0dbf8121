/**
 * Rules the schemas cannot express, enforced for every write path at once (REST, GraphQL, the
 * admin panel, scripts) as a Document Service middleware. A broken rule is a ValidationError,
 * which Strapi answers with 400 and the same `details.errors[]` shape as its own schema checks.
 */
import type { Modules } from '@strapi/strapi';
import { errors } from '@strapi/utils';

type Data = Record<string, unknown>;
interface FieldError {
  path: string[];
  message: string;
  name: 'ValidationError';
  value: unknown;
}

/** Relations a type must have from its creation (schemas cannot mark a relation required). */
export const REQUIRED_RELATIONS: Partial<Record<string, string[]>> = {
  'api::project.project': ['site'],
};

const YEAR_FIELDS = ['foundedYear', 'closedYear'] as const;
const NUMBER_TYPES = new Set(['integer', 'biginteger', 'float', 'decimal']);

interface NumberAttribute {
  type: string;
  min?: number;
  max?: number;
}

/** True when a relation input names at least one target, in any of Strapi 5's input forms. */
export function relationIsSet(value: unknown): boolean {
  if (value === null || value === undefined || value === '') return false;
  if (typeof value === 'string' || typeof value === 'number') return true;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') {
    const input = value as Data;
    if ('documentId' in input || 'id' in input) return relationIsSet(input.documentId ?? input.id);
    return relationIsSet(input.set) || relationIsSet(input.connect);
  }
  return false;
}

/**
 * True when an update's relation input removes every target: null, an empty value or list,
 * `set: []`, or a `disconnect` with nothing connected. `{ connect: [], disconnect: [] }` (what the
 * admin panel sends for an untouched relation) changes nothing.
 */
export function relationIsCleared(value: unknown): boolean {
  if (relationIsSet(value)) return false;
  if (value === null || value === '' || (Array.isArray(value) && value.length === 0)) return true;
  if (typeof value !== 'object' || value === null) return false;
  const input = value as Data;
  if ('set' in input) return true;
  // Strapi takes a single target as well as a list.
  if (Array.isArray(input.disconnect)) return input.disconnect.length > 0;
  return input.disconnect !== undefined && input.disconnect !== null;
}

/** A number, or a numeric string as JSON clients may send; anything else is Strapi's to refuse. */
const asNumber = (value: unknown): number | undefined => {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))
    return Number(value);
  return undefined;
};

/**
 * True when a relation input may remove targets: a plain value or list (it replaces the set),
 * `set`, a non-empty `disconnect`, or null. `{ connect: [...] }` alone only adds.
 */
export function relationMayRemove(value: unknown): boolean {
  if (value === undefined) return false;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return true;
  const input = value as Data;
  if ('set' in input) return true;
  return Array.isArray(input.disconnect) ? input.disconnect.length > 0 : input.disconnect !== undefined;
}

type RelationAttribute = { type: string; target?: string; mappedBy?: string; inversedBy?: string };

export function checkDocument(
  uid: string,
  attributes: Record<string, NumberAttribute | { type: string }>,
  action: 'create' | 'update',
  data: Data,
  now = new Date(),
): FieldError[] {
  const problems: FieldError[] = [];
  const fail = (field: string, message: string) =>
    problems.push({ path: [field], message, name: 'ValidationError', value: data[field] ?? null });

  for (const field of REQUIRED_RELATIONS[uid] ?? []) {
    const missing =
      action === 'create' ? !relationIsSet(data[field]) : field in data && relationIsCleared(data[field]);
    if (missing) fail(field, `${field} is required`);
  }

  // The other side of a required relation (a site's projects): removing a target there would
  // leave it without the relation it requires, whatever its own rules say.
  for (const [field, attribute] of Object.entries(attributes) as [string, RelationAttribute][]) {
    if (attribute.type !== 'relation' || !attribute.target) continue;
    const inverse = attribute.mappedBy ?? attribute.inversedBy;
    if (!inverse || !(REQUIRED_RELATIONS[attribute.target] ?? []).includes(inverse)) continue;
    if (relationMayRemove(data[field]))
      fail(
        field,
        `${field} may only be added to here: each of them needs its ${inverse}; change it from their side`,
      );
  }

  // Strapi 5 checks a schema's min and max only when it publishes; drafts must respect them too.
  for (const [field, raw] of Object.entries(data)) {
    const attribute = attributes[field] as NumberAttribute | undefined;
    const value = asNumber(raw);
    if (!attribute || !NUMBER_TYPES.has(attribute.type) || value === undefined) continue;
    if (attribute.min !== undefined && value < attribute.min) {
      fail(field, `${field} must be greater than or equal to ${attribute.min}`);
    } else if (attribute.max !== undefined && value > attribute.max) {
      fail(field, `${field} must be less than or equal to ${attribute.max}`);
    }
  }

  const latest = now.getFullYear() + 1;
  for (const field of YEAR_FIELDS) {
    const year = asNumber(data[field]);
    if (year !== undefined && year > latest) fail(field, `${field} must be less than or equal to ${latest}`);
  }
  const [foundedYear, closedYear] = [asNumber(data.foundedYear), asNumber(data.closedYear)];
  if (foundedYear !== undefined && closedYear !== undefined && closedYear < foundedYear) {
    fail('closedYear', 'closedYear must not be before foundedYear');
  }
  return problems;
}

export const documentRules: Modules.Documents.Middleware.Middleware = async (context, next) => {
  if (context.action === 'create' || context.action === 'update') {
    const params = context.params as { data?: Data };
    const attributes = context.contentType.attributes as Record<string, { type: string }>;
    const problems = checkDocument(context.uid, attributes, context.action, params.data ?? {});
    if (problems.length > 0) {
      const message = problems.length === 1 ? problems[0].message : `${problems.length} errors occurred`;
      throw new errors.ValidationError(message, { errors: problems });
    }
  }
  return next();
};
