/**
 * Subscriptions (api::webhook-subscription.webhook-subscription): the rules of every write, whoever
 * writes (admin panel, the command line), as a Document Service middleware, and what a write
 * changes for the delivery worker (state, cursor, a delivery run).
 */
import type { Core, Modules } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { checkUrl } from './addresses';
import { webhookSettings } from './settings';
import { createState, deleteState, replaceSecret, rewindTo } from './store';

export const SUBSCRIPTION_UID = 'api::webhook-subscription.webhook-subscription';
export const DELIVERY_UID = 'api::webhook-delivery.webhook-delivery';

export const CHANGE_TYPES = ['project', 'service', 'enterprise', 'site', 'funder', 'organisation'] as const;
export const CHANGE_ACTIONS = ['published', 'unpublished', 'deleted'] as const;

/** Which changes a subscription receives: type → actions; null (or empty) for every change. */
export type EventFilter = Partial<Record<string, string[]>> | null;

export interface Subscription {
  id: number;
  documentId: string;
  name: string;
  url: string;
  events: EventFilter;
  active: boolean;
}

interface Problem {
  path: string[];
  message: string;
  name: 'ValidationError';
  value: unknown;
}

/** Why `events` is no valid filter, or undefined. */
export function checkEvents(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value !== 'object' || Array.isArray(value))
    return `events must be an object of types to lists of actions, e.g. {"project": ["published", "deleted"]}`;
  for (const [type, actions] of Object.entries(value)) {
    if (!(CHANGE_TYPES as readonly string[]).includes(type))
      return `events: unknown type "${type}" (one of ${CHANGE_TYPES.join(', ')})`;
    if (!Array.isArray(actions) || actions.length === 0)
      return `events.${type} must be a non-empty list of actions (${CHANGE_ACTIONS.join(', ')})`;
    for (const action of actions)
      if (!(CHANGE_ACTIONS as readonly unknown[]).includes(action))
        return `events.${type}: unknown action "${String(action)}" (one of ${CHANGE_ACTIONS.join(', ')})`;
  }
  return undefined;
}

export function matches(filter: EventFilter, type: string, action: string): boolean {
  if (!filter || Object.keys(filter).length === 0) return true;
  return Boolean(filter[type]?.includes(action));
}

/**
 * The filter for `--types project,service`: every action of these types; without types, `{}`
 * (every change), which the panel shows as the empty filter its help text describes, not `null`.
 */
export function filterForTypes(types: string[]): EventFilter {
  if (types.length === 0) return {};
  return Object.fromEntries(types.map((type) => [type, [...CHANGE_ACTIONS]]));
}

async function problemsOf(data: Record<string, unknown>, action: string): Promise<Problem[]> {
  const problems: Problem[] = [];
  if (action === 'create' || 'url' in data) {
    const problem = await checkUrl(data.url, webhookSettings());
    if (problem)
      problems.push({ path: ['url'], message: problem, name: 'ValidationError', value: data.url ?? null });
  }
  if ('events' in data) {
    let events = data.events;
    if (typeof events === 'string') {
      try {
        events = JSON.parse(events);
      } catch {
        events = Symbol('invalid');
      }
    }
    const problem = typeof events === 'symbol' ? 'events must be JSON' : checkEvents(events);
    if (problem)
      problems.push({
        path: ['events'],
        message: problem,
        name: 'ValidationError',
        value: data.events ?? null,
      });
  }
  if (data.resendFrom !== undefined && data.resendFrom !== null && data.resendFrom !== '') {
    if (!/^\d{1,18}$/.test(String(data.resendFrom)) || BigInt(String(data.resendFrom)) < 1n)
      problems.push({
        path: ['resendFrom'],
        message: 'resendFrom must be the number of a change (see the delivery log)',
        name: 'ValidationError',
        value: data.resendFrom,
      });
  }
  return problems;
}

type Nudge = (documentId: string) => void;

/** The Document Service middleware of both webhook types; `nudge` starts a delivery run. */
export function subscriptionRules(
  strapi: Core.Strapi,
  nudge: Nudge,
): Modules.Documents.Middleware.Middleware {
  return async (context, next) => {
    const uid = context.uid as string;
    if (uid === DELIVERY_UID) {
      // The log is written by the worker only (outside any request); staff may delete entries.
      const request = strapi.requestContext.get();
      if (request && ['create', 'update', 'clone', 'publish'].includes(context.action))
        throw new errors.ForbiddenError('The delivery log is written by the delivery worker only');
      return next();
    }
    if (uid !== SUBSCRIPTION_UID) return next();

    const params = context.params as { data?: Record<string, unknown>; documentId?: string };
    if (context.action === 'create' || context.action === 'update') {
      const data = params.data ?? {};
      const problems = await problemsOf(data, context.action);
      if (problems.length > 0) {
        const message = problems.length === 1 ? problems[0].message : `${problems.length} errors occurred`;
        throw new errors.ValidationError(message, { errors: problems });
      }
      if (typeof data.url === 'string') data.url = data.url.trim();
      if (typeof data.events === 'string') data.events = JSON.parse(data.events);
      const resendFrom = data.resendFrom ? String(data.resendFrom) : undefined;
      // The field is an order, not a state: it is never kept.
      if ('resendFrom' in data) data.resendFrom = null;

      const result = await next();
      const documentId = (result as { documentId?: string } | null)?.documentId ?? params.documentId;
      if (!documentId) return result;
      if (context.action === 'create') await createState(strapi, documentId);
      if (resendFrom) await rewindTo(strapi, documentId, resendFrom);
      nudge(documentId);
      return result;
    }
    if (context.action === 'delete') {
      const result = await next();
      if (params.documentId) await deleteState(strapi, params.documentId);
      return result;
    }
    return next();
  };
}

/** Creates a subscription (the command line); returns it with its secret, shown this once. */
export async function createSubscription(
  strapi: Core.Strapi,
  input: { name: string; url: string; types: string[] },
  nudge: Nudge = () => undefined,
): Promise<{ documentId: string; secret: string; events: EventFilter }> {
  const events = filterForTypes(input.types);
  const created = (await strapi
    .documents(SUBSCRIPTION_UID as never)
    .create({ data: { name: input.name, url: input.url, events, active: true } as never })) as unknown as {
    documentId: string;
  };
  // The secret made at creation was never shown: replaced, without keeping it.
  const secret = await replaceSecret(strapi, created.documentId, { keepPrevious: false });
  nudge(created.documentId);
  return { documentId: created.documentId, secret, events };
}
