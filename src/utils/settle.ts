import type { Core } from '@strapi/strapi';

interface KnexPool {
  numUsed(): number;
  numPendingAcquires(): number;
}

/**
 * Waits until no database connection is in use. Strapi runs some listeners (webhooks, audit) after
 * a write has returned; destroying the app before they finish rejects their queries with "aborted".
 */
export async function settle(strapi: Core.Strapi, timeoutMs = 5000): Promise<void> {
  const pool = (strapi.db.connection.client as { pool?: KnexPool }).pool;
  const deadline = Date.now() + timeoutMs;
  while (pool && (pool.numUsed() > 0 || pool.numPendingAcquires() > 0) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
