/**
 * Help texts in the panel's language. Strapi's view configuration holds one help text per field
 * (`metadatas.<field>.edit.description`), shown whatever the admin language: ours are the French
 * ones (src/admin-views). For staff whose admin language is German or English, the configuration
 * the edit view reads (`GET /content-manager/content-types/:uid/configuration`, and the
 * components' in the same answer or at `/content-manager/components/:uid/configuration`) carries
 * the help texts in that language instead (`helpDe`, `helpEn` of src/admin-views/texts.ts); a view
 * configuration saved back from such a panel (`PUT` on those paths) is stored with the French
 * texts, so that the stored configuration stays French for everyone.
 */
import type { Core } from '@strapi/strapi';
import type { Context, Next } from 'koa';
import { FIELD_TEXTS, type FieldText } from '../admin-views/texts';

const CONFIGURATION = /^\/content-manager\/(content-types|components)\/([^/]+)\/configuration$/;

type Metadatas = Record<string, { edit?: { description?: string } }>;
interface Configuration {
  uid?: string;
  metadatas?: Metadatas;
}

/** The help text of `text` in `language` (French when it has none in that language). */
export function helpIn(text: FieldText, language: string): string {
  if (language === 'de') return text.helpDe ?? text.help;
  if (language === 'en') return text.helpEn ?? text.help;
  return text.help;
}

function rewrite(configuration: Configuration | undefined, uid: string | undefined, language: string) {
  const texts = uid ? FIELD_TEXTS[uid] : undefined;
  if (!configuration?.metadatas || !texts) return;
  for (const [field, metadata] of Object.entries(configuration.metadatas))
    if (texts[field] && metadata.edit && metadata.edit.description !== undefined)
      metadata.edit.description = helpIn(texts[field], language);
}

export default (_config: unknown, _context: { strapi: Core.Strapi }) =>
  async function helpLanguage(ctx: Context, next: Next) {
    const match = CONFIGURATION.exec(ctx.path);
    if (!match) return next();
    let uid: string;
    try {
      uid = decodeURIComponent(match[2]);
    } catch {
      return next(); // not a uid: the route answers it
    }
    if (ctx.method === 'PUT') {
      const body = ctx.request.body as Configuration | undefined;
      if (body && typeof body === 'object') rewrite(body, uid, 'fr');
      return next();
    }
    await next();
    const language = (ctx.state as { user?: { preferedLanguage?: string | null } }).user?.preferedLanguage;
    if (ctx.method !== 'GET' || ctx.status !== 200 || !language || language === 'fr') return;
    const data = (ctx.body as { data?: Record<string, unknown> } | undefined)?.data;
    if (!data) return;
    if (match[1] === 'content-types') rewrite(data.contentType as Configuration, uid, language);
    else rewrite(data.component as Configuration, uid, language);
    for (const [componentUid, configuration] of Object.entries(
      (data.components ?? {}) as Record<string, Configuration>,
    ))
      rewrite(configuration, componentUid, language);
  };
