/**
 * Writes made by other processes on the same PostgreSQL database, seen without Redis: a second
 * instance, `npm run seed` or any script run beside a server. Each process that bumps its
 * in-memory generation after a write says so with `NOTIFY` (once its transaction has committed,
 * several bumps in a row coalesced into one), and every process `LISTEN`s on one dedicated
 * connection and bumps its own generation when another one speaks. Notifications sent while that
 * connection was down are lost, so every (re)connection bumps too.
 *
 * Without PostgreSQL (SQLite in development) there is nothing to listen to: one process only.
 * With Redis the generation is shared there, and this is not used.
 */
import { randomUUID } from 'node:crypto';
import type { Core } from '@strapi/strapi';
import { Client, type ClientConfig } from 'pg';

export const CHANNEL = 'ia_response_cache';
const RETRY_MS = [500, 1000, 2000, 5000, 10_000];

export interface Peers {
  /** Tells the other processes that this one bumped its generation. */
  announce(): void;
  /** Stops listening, after the last announcement has been sent. */
  close(): Promise<void>;
}

export function joinPeers(strapi: Core.Strapi, onPeerWrite: () => Promise<void>): Peers | undefined {
  const database = strapi.config.get<{ client?: string; connection?: ClientConfig }>('database.connection');
  if (database?.client !== 'postgres' || !database.connection) return undefined;
  const self = randomUUID();
  let closed = false;

  // Speaking: through the pool, at most one NOTIFY in flight and one more after it.
  let sending: Promise<void> | undefined;
  let again = false;
  const send = (): Promise<void> =>
    strapi.db.connection
      .raw('select pg_notify(?, ?)', [CHANNEL, self])
      .then(
        () => undefined,
        // Nothing was written that another process could read meanwhile: the database is away.
        (error: Error) => strapi.log.debug(`Response cache: NOTIFY failed (${error.message})`),
      )
      .then(() => {
        if (!again) return (sending = undefined);
        again = false;
        return (sending = send());
      });
  const announce = () => {
    if (sending) again = true;
    else sending = send();
  };

  // Listening: one connection of its own, opened again whenever it is lost.
  let client: Client | undefined;
  let failures = 0;
  let timer: NodeJS.Timeout | undefined;
  let warned = false;
  const retry = () => {
    if (closed || timer) return;
    timer = setTimeout(
      () => {
        timer = undefined;
        void listen();
      },
      RETRY_MS[Math.min(failures, RETRY_MS.length - 1)],
    );
    timer.unref();
  };
  const listen = async () => {
    const { connection } = database;
    const next = new Client({ ...(connection as ClientConfig), keepAlive: true });
    const lost = (error?: Error) => {
      if (client !== next) return;
      client = undefined;
      if (closed) return;
      if (!warned) {
        warned = true;
        strapi.log.warn(
          `Response cache: lost the LISTEN connection to PostgreSQL${error ? ` (${error.message})` : ''}; writes of other processes are seen again once it is back`,
        );
      }
      next.end().catch(() => undefined);
      retry();
    };
    client = next;
    next.on('error', lost);
    next.on('end', () => lost());
    next.on('notification', (message) => {
      if (message.channel === CHANNEL && message.payload !== self) void onPeerWrite().catch(() => undefined);
    });
    try {
      await next.connect();
      await next.query(`LISTEN ${CHANNEL}`);
      if (client !== next) return;
      failures = 0;
      if (warned) strapi.log.warn('Response cache: listening to PostgreSQL again');
      warned = false;
      // What other processes wrote while nobody listened is unknown: forget everything.
      await onPeerWrite().catch(() => undefined);
    } catch (error) {
      failures += 1;
      lost(error as Error);
    }
  };
  void listen();

  return {
    announce,
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      await sending;
      const last = client;
      client = undefined;
      await last?.end().catch(() => undefined);
    },
  };
}
