/**
 * GET /api/preview?type=project&documentId=...&locale=de with the header X-Preview-Token: the
 * draft of that document in that locale, in the shape of the public API's entries, for the entry
 * page (public/entry.html). The token comes from the admin panel's preview (src/preview): without
 * one 401, with an invalid or expired one 401, with one for another type, document or locale 403;
 * never any draft content in a refusal.
 *
 * The answer is sent `Cache-Control: no-store` and as a stream: global::response-cache stores
 * only string answers and global::http-cache sets its public caching headers only on those, so
 * neither keeps nor relabels it (their URL key does not carry the token, which is a header).
 */
import { Readable } from 'node:stream';
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { Context } from 'koa';
import { DEFAULT_LOCALE } from '../../../bootstrap/locales';
import { checkLocale } from '../../../i18n/locale-query';
import { previewKeyOf, previewTypes, readDraft } from '../../../preview';
import { PREVIEW_TOKEN_HEADER, verifyPreviewToken } from '../../../preview/token';

const PARAMETERS = ['type', 'documentId', 'locale'];

const invalid = (param: string, message: string) =>
  new errors.ValidationError(message, { source: 'query', param });

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async find(ctx: Context) {
    // Refusals too: nothing of a preview is kept by a browser or a proxy.
    ctx.set('Cache-Control', 'no-store');
    const query = ctx.query as Record<string, unknown>;
    for (const name of Object.keys(query)) {
      if (!PARAMETERS.includes(name))
        throw invalid(
          name,
          `Invalid parameter "${name}": the preview takes ${PARAMETERS.join(', ')} (and the token in the ${PREVIEW_TOKEN_HEADER} header)`,
        );
      if (typeof query[name] !== 'string')
        throw invalid(name, `Invalid parameter "${name}": one value expected`);
    }
    const types = previewTypes(strapi);
    const type = query.type as string | undefined;
    const model = type ? types.get(type) : undefined;
    if (!model)
      throw invalid(
        'type',
        `Invalid type "${String(type ?? '')}": use one of ${[...types.keys()].join(', ')}`,
      );
    const documentId = query.documentId as string | undefined;
    if (!documentId) throw invalid('documentId', 'Missing parameter "documentId"');
    const locale = await checkLocale(strapi, query.locale ?? DEFAULT_LOCALE);

    const token = ctx.get(PREVIEW_TOKEN_HEADER);
    if (!token)
      throw new errors.UnauthorizedError(
        `A preview token is required (${PREVIEW_TOKEN_HEADER}): open the preview from the admin panel`,
      );
    const verdict = verifyPreviewToken(previewKeyOf(strapi), token);
    if (!verdict.ok)
      throw new errors.UnauthorizedError(
        verdict.reason === 'expired'
          ? 'The preview token has expired: open the preview again from the admin panel'
          : 'Invalid preview token',
      );
    const { claims } = verdict;
    if (claims.type !== type || claims.documentId !== documentId || claims.locale !== locale)
      throw new errors.ForbiddenError('This preview token is for another document or locale');

    const draft = await readDraft(strapi, model, documentId, locale);
    if (!draft) throw new errors.NotFoundError(`No draft of this ${type} in ${locale}`);
    const data = await strapi.contentAPI.sanitize.output(draft, strapi.getModel(model.uid as never), {
      auth: ctx.state.auth,
    });
    const body = {
      data,
      meta: {
        preview: {
          type,
          documentId,
          locale,
          status: 'draft',
          expiresAt: new Date(verdict.expiresAt * 1000).toISOString(),
        },
      },
    };
    ctx.status = 200;
    ctx.type = 'application/json';
    ctx.body = Readable.from([Buffer.from(JSON.stringify(body))]);
  },
});
