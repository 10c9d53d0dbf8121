/**
 * What the delivery worker keeps per subscription, outside the content type (staff never see it):
 * the signing secret (encrypted with Strapi's admin encryption service, i.e. ENCRYPTION_KEY), the
 * previous secret during 24 hours after a rotation, whether the secret was ever shown (nothing is
 * delivered before: nobody could check the signatures), and the cursor: the id of the last change
 * handled (delivered, refused by the partner, or not subscribed to).
 */
import type { Core } from '@strapi/strapi';
import { newSecret } from './signature';

export const STATE_TABLE = 'webhook_subscription_states';
/** How long a rotated-out secret still signs deliveries. */
export const PREVIOUS_SECRET_HOURS = 24;

export interface SubscriptionState {
  subscription: string;
  secrets: string[];
  /** Whether a secret was ever shown (the command line, the panel's button). */
  secretShown: boolean;
  deliveredId: string;
}

interface StateRow {
  subscription: string;
  secret: string;
  previous_secret: string | null;
  previous_until: Date | string | null;
  secret_shown: boolean | number | null;
  delivered_id: string | number;
}

interface Encryption {
  encrypt(value: string): string | null;
  decrypt(value: string): string | null;
}

const PLAIN = 'plain:';
let warnedPlain = false;

function encryption(strapi: Core.Strapi): Encryption | undefined {
  try {
    return strapi.service('admin::encryption') as unknown as Encryption;
  } catch {
    return undefined;
  }
}

function seal(strapi: Core.Strapi, secret: string): string {
  const sealed = encryption(strapi)?.encrypt(secret);
  if (sealed) return sealed;
  if (!warnedPlain) {
    warnedPlain = true;
    strapi.log.warn('Webhooks: ENCRYPTION_KEY is not set; signing secrets are stored unencrypted.');
  }
  return `${PLAIN}${secret}`;
}

function open(strapi: Core.Strapi, sealed: string | null): string | undefined {
  if (!sealed) return undefined;
  if (sealed.startsWith(PLAIN)) return sealed.slice(PLAIN.length);
  return encryption(strapi)?.decrypt(sealed) ?? undefined;
}

const knex = (strapi: Core.Strapi) => strapi.db.connection;

/** Creates the table if it is missing (every boot; idempotent). */
export async function ensureStateTable(strapi: Core.Strapi): Promise<void> {
  const schema = knex(strapi).schema;
  if (await schema.hasTable(STATE_TABLE)) {
    if (!(await schema.hasColumn(STATE_TABLE, 'secret_shown')))
      await schema.alterTable(STATE_TABLE, (table) => {
        table.boolean('secret_shown').notNullable().defaultTo(false);
      });
    return;
  }
  try {
    await schema.createTable(STATE_TABLE, (table) => {
      table.string('subscription', 64).primary();
      table.text('secret').notNullable();
      table.text('previous_secret').nullable();
      table.timestamp('previous_until', { useTz: true }).nullable();
      table.boolean('secret_shown').notNullable().defaultTo(false);
      table.bigInteger('delivered_id').notNullable().defaultTo(0);
    });
  } catch (error) {
    // Another instance created it at the same moment.
    if (!(await schema.hasTable(STATE_TABLE))) throw error;
  }
}

/** The id of the latest committed change: where a new subscription starts. */
export async function latestChangeId(strapi: Core.Strapi): Promise<string> {
  try {
    const row = (await knex(strapi)('change_events').max({ id: 'id' }).first()) as { id?: unknown };
    return row?.id === null || row?.id === undefined ? '0' : String(row.id);
  } catch {
    return '0';
  }
}

/** Creates the state of a new subscription: a fresh secret, starting after the latest change. */
export async function createState(strapi: Core.Strapi, subscription: string): Promise<string> {
  const secret = newSecret();
  await knex(strapi)(STATE_TABLE)
    .insert({
      subscription,
      secret: seal(strapi, secret),
      delivered_id: await latestChangeId(strapi),
    })
    .onConflict('subscription')
    .ignore();
  return secret;
}

export async function readState(strapi: Core.Strapi, subscription: string): Promise<SubscriptionState> {
  let row = (await knex(strapi)(STATE_TABLE).where({ subscription }).first()) as StateRow | undefined;
  if (!row) {
    await createState(strapi, subscription);
    row = (await knex(strapi)(STATE_TABLE).where({ subscription }).first()) as StateRow;
  }
  const secrets = [open(strapi, row.secret)];
  if (row.previous_until && new Date(row.previous_until).getTime() > Date.now())
    secrets.push(open(strapi, row.previous_secret));
  return {
    subscription,
    secrets: secrets.filter((secret): secret is string => Boolean(secret)),
    secretShown: Boolean(row.secret_shown),
    deliveredId: String(row.delivered_id),
  };
}

/**
 * A new secret, to be shown once. With `keepPrevious` (a rotation), the current one keeps signing
 * (as a second `v1=`) for 24 hours, so that the partner can switch without losing a delivery; a
 * secret that was never shown is not kept.
 */
export async function replaceSecret(
  strapi: Core.Strapi,
  subscription: string,
  { keepPrevious }: { keepPrevious: boolean },
): Promise<string> {
  const { secretShown } = await readState(strapi, subscription);
  const keep = keepPrevious && secretShown;
  const secret = newSecret();
  const until = new Date(Date.now() + PREVIOUS_SECRET_HOURS * 3600 * 1000);
  await knex(strapi)(STATE_TABLE)
    .where({ subscription })
    .update({
      previous_secret: keep ? knex(strapi).ref('secret') : null,
      previous_until: keep ? until : null,
      secret: seal(strapi, secret),
      secret_shown: true,
    });
  return secret;
}

/** Moves the cursor from `from` to `to`; false when it was not at `from` (a resend rewound it). */
export async function advanceCursor(
  strapi: Core.Strapi,
  subscription: string,
  from: string,
  to: string,
): Promise<boolean> {
  const updated = await knex(strapi)(STATE_TABLE)
    .where({ subscription, delivered_id: from })
    .update({ delivered_id: to });
  return Number(updated) > 0;
}

/** Deliver again every change from `changeId` on. */
export async function rewindTo(strapi: Core.Strapi, subscription: string, changeId: string): Promise<void> {
  await readState(strapi, subscription);
  const before = BigInt(changeId) - 1n;
  await knex(strapi)(STATE_TABLE)
    .where({ subscription })
    .update({ delivered_id: (before < 0n ? 0n : before).toString() });
}

export async function deleteState(strapi: Core.Strapi, subscription: string): Promise<void> {
  await knex(strapi)(STATE_TABLE).where({ subscription }).delete();
}

/** Subscriptions (documentIds) whose cursor is behind the latest change. */
export async function subscriptionsBehind(strapi: Core.Strapi, documentIds: string[]): Promise<string[]> {
  if (documentIds.length === 0) return [];
  const latest = await latestChangeId(strapi);
  const rows = (await knex(strapi)(STATE_TABLE)
    .whereIn('subscription', documentIds)
    .select('subscription', 'delivered_id')) as Pick<StateRow, 'subscription' | 'delivered_id'>[];
  const known = new Map(rows.map((row) => [row.subscription, BigInt(row.delivered_id)]));
  return documentIds.filter((id) => !known.has(id) || (known.get(id) as bigint) < BigInt(latest));
}
