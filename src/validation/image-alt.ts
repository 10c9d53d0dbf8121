/**
 * Images described in every language (issue 26, section 3): each image field `<name>` of a type
 * has a localized text field `<name>Alt` beside it (the file is shared by the locales; its
 * description is not), and a version is published only with that text when it has the image. A
 * Document Service middleware, so every publish path answers the same 400 (the panel's « Publier »,
 * its bulk publish, a scheduled publish, REST or GraphQL writes with `status: 'published'`,
 * scripts). Drafts may lack it: the text is often written after the image is chosen.
 */
import type { Core, Modules } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { DEFAULT_LOCALE } from '../bootstrap/locales';

type Row = Record<string, unknown>;
type Attribute = { type: string; allowedTypes?: string[]; multiple?: boolean };

/** The image fields of `attributes` with the name of their alternative-text field. */
export function imageAltFields(attributes: Record<string, Attribute>): { image: string; alt: string }[] {
  return Object.entries(attributes)
    .filter(
      ([, attribute]) => attribute.type === 'media' && (attribute.allowedTypes ?? []).includes('images'),
    )
    .map(([image]) => ({ image, alt: `${image}Alt` }));
}

const hasImage = (value: unknown) =>
  Array.isArray(value) ? value.length > 0 : value !== null && value !== undefined && value !== '';
const isBlank = (value: unknown) => typeof value !== 'string' || value.trim() === '';
/** The files a media value links, as a comparable key. */
const idsOf = (value: unknown) =>
  (Array.isArray(value) ? value : value ? [value] : [])
    .map((file) => String((file as Row).id ?? file))
    .sort()
    .join(',');

const refusal = (problems: { alt: string; image: string; locale: string }[]) => {
  const messages = problems.map(
    ({ alt, image, locale }) =>
      `${alt} is required to publish: the ${image} image needs its alternative text in ${locale}`,
  );
  return new errors.ValidationError(
    messages.length === 1 ? messages[0] : `${messages.length} errors occurred`,
    {
      errors: problems.map(({ alt }, index) => ({
        path: [alt],
        message: messages[index],
        name: 'ValidationError',
        value: null,
      })),
    },
  );
};

/** The draft versions a publish of `params` takes live, with their images and texts. */
async function draftsToPublish(
  strapi: Core.Strapi,
  uid: string,
  params: { documentId?: string; locale?: string | string[] },
  pairs: { image: string; alt: string }[],
): Promise<Row[]> {
  const resolved = params.locale ?? DEFAULT_LOCALE;
  return (await strapi.db.query(uid as never).findMany({
    select: ['id', 'locale', ...pairs.map(({ alt }) => alt)],
    where: {
      documentId: params.documentId,
      publishedAt: null,
      ...(resolved === '*' ? {} : { locale: Array.isArray(resolved) ? { $in: resolved } : resolved }),
    },
    populate: Object.fromEntries(pairs.map(({ image }) => [image, { select: ['id'] }])),
  } as never)) as Row[];
}

export const imageAltRule =
  (strapi: Core.Strapi): Modules.Documents.Middleware.Middleware =>
  async (context, next) => {
    const pairs = imageAltFields(context.contentType.attributes as Record<string, Attribute>);
    if (pairs.length === 0) return next();
    const params = context.params as {
      documentId?: string;
      locale?: string;
      status?: string;
      data?: Row;
    };
    if (context.action === 'publish') {
      const drafts = await draftsToPublish(strapi, context.uid, params, pairs);
      const problems = drafts.flatMap((row) =>
        pairs
          .filter(({ image, alt }) => hasImage(row[image]) && isBlank(row[alt]))
          .map((pair) => ({ ...pair, locale: String(row.locale) })),
      );
      // The image is shared: Strapi's i18n copies it into the published versions of the other
      // locales when one is published. Refused when one of them has no text for it at all, neither
      // published nor in its draft (a text in the draft goes live with that locale's next publish;
      // requiring it published first would lock the locales against each other).
      if (problems.length === 0 && drafts.length > 0) {
        const publishing = new Set(drafts.map((row) => String(row.locale)));
        const versions = (await strapi.db.query(context.uid as never).findMany({
          select: ['id', 'locale', 'publishedAt', ...pairs.map(({ alt }) => alt)],
          where: { documentId: params.documentId },
          populate: Object.fromEntries(pairs.map(({ image }) => [image, { select: ['id'] }])),
        } as never)) as Row[];
        for (const row of versions) {
          if (row.publishedAt === null || publishing.has(String(row.locale))) continue;
          const draft = versions.find(
            (version) => version.locale === row.locale && version.publishedAt === null,
          );
          for (const pair of pairs)
            if (
              hasImage(drafts[0][pair.image]) &&
              idsOf(row[pair.image]) !== idsOf(drafts[0][pair.image]) &&
              isBlank(row[pair.alt]) &&
              isBlank(draft?.[pair.alt])
            )
              problems.push({ ...pair, locale: String(row.locale) });
        }
      }
      if (problems.length > 0) throw refusal(problems);
    } else if (
      (context.action === 'create' || context.action === 'update') &&
      params.status === 'published'
    ) {
      // A write that publishes at once: what the version will hold is the data over the draft.
      const data = params.data ?? {};
      let [draft] =
        context.action === 'update' && params.documentId
          ? await draftsToPublish(
              strapi,
              context.uid,
              { documentId: params.documentId, locale: params.locale },
              pairs,
            )
          : [];
      // A new locale of an existing document takes the shared image from the others.
      if (!draft && context.action === 'update' && params.documentId)
        [draft] = await draftsToPublish(
          strapi,
          context.uid,
          { documentId: params.documentId, locale: '*' },
          pairs,
        );
      if (draft && params.locale && draft.locale !== params.locale)
        draft = { ...draft, ...Object.fromEntries(pairs.map(({ alt }) => [alt, null])) };
      const locale = params.locale ?? String(draft?.locale ?? '');
      const problems = pairs
        .filter(({ image, alt }) => {
          const picture = image in data ? data[image] : draft?.[image];
          const text = alt in data ? data[alt] : draft?.[alt];
          return hasImage(picture) && isBlank(text);
        })
        .map((pair) => ({ ...pair, locale }));
      if (problems.length > 0) throw refusal(problems);
    }
    return next();
  };
