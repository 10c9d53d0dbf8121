/** The content API's three kinds of reader, for tests that compare what each is answered. */
import { createReadOnlyToken } from '../../src/permissions/tokens';
import type { TestApp } from './strapi';
import { bearer, createApiUser, type ApiUser } from './users';

export interface Callers {
  editor: ApiUser;
  /** Headers of each reader: anonymous, an editor (JWT), a read-only partner token. */
  headers: {
    anonymous: Record<string, string>;
    editor: Record<string, string>;
    token: Record<string, string>;
  };
}

export async function createCallers(app: TestApp, tokenName: string): Promise<Callers> {
  const editor = await createApiUser(app, 'editor');
  const token = await createReadOnlyToken(app.strapi, { name: tokenName, days: 1 });
  return {
    editor,
    headers: { anonymous: {}, editor: bearer(editor), token: { Authorization: `Bearer ${token.accessKey}` } },
  };
}
