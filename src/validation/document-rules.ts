/**
 * Rules the schemas cannot express, enforced for every write path at once (REST, GraphQL, the
 * admin panel, scripts) as a Document Service middleware. A broken rule is a ValidationError,
 * which Strapi answers with 400 and the same `details.errors[]` shape as its own schema checks.
 */
import type { Core, Modules } from '@strapi/strapi';
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

export function checkDocument(
  uid: string,
  action: 'create' | 'update',
  data: Data,
  now = new Date(),
): FieldError[] {
  const problems: FieldError[] = [];
  const fail = (field: string, message: string) =>
    problems.push({ path: [field], message, name: 'ValidationError', value: data[field] ?? null });

  for (const field of REQUIRED_RELATIONS[uid] ?? []) {
    const missing =
      action === 'create' ? !relationIsSet(data[field]) : field in data && !relationIsSet(data[field]);
    if (missing) fail(field, `${field} is required`);
  }

  const latest = now.getFullYear() + 1;
  for (const field of YEAR_FIELDS) {
    const year = data[field];
    if (typeof year === 'number' && year > latest)
      fail(field, `${field} must be less than or equal to ${latest}`);
  }
  const { foundedYear, closedYear } = data;
  if (typeof foundedYear === 'number' && typeof closedYear === 'number' && closedYear < foundedYear) {
    fail('closedYear', 'closedYear must not be before foundedYear');
  }
  return problems;
}

export const documentRules: Modules.Documents.Middleware.Middleware = async (context, next) => {
  if (context.action === 'create' || context.action === 'update') {
    const params = context.params as { data?: Data };
    const problems = checkDocument(context.uid, context.action, params.data ?? {});
    if (problems.length > 0) {
      const message = problems.length === 1 ? problems[0].message : `${problems.length} errors occurred`;
      throw new errors.ValidationError(message, { errors: problems });
    }
  }
  return next();
};

export function registerDocumentRules(strapi: Core.Strapi): void {
  strapi.documents.use(documentRules);
}
