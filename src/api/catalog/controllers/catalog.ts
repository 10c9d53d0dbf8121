/**
 * GET /api/catalog: the DCAT-AP 3.0 catalogue of the association's open data (src/catalog), for
 * data.public.lu's harvester and any other. JSON-LD by default; Turtle and RDF/XML by `Accept`
 * (q-values honoured); any other `Accept` is a 406 naming the types offered. An unknown query
 * parameter is a 400 naming it.
 *
 * The facts read from the database are memoized until the next write (src/cache), so `modified`
 * moves with the first read after a change. The answer is sent as a Buffer, which the response
 * cache does not store: its key is the URL alone, and this route answers one URL in three types.
 * global::http-cache still gives it an ETag (the body's hash) and its 304s; `Vary: Accept` tells
 * proxies that the type depends on the request.
 */
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { Context } from 'koa';
import { untilNextWrite } from '../../../cache';
import { loadCatalogFacts, type CatalogFacts } from '../../../catalog/facts';
import { buildCatalogGraph, CATALOG_TYPES, serializeCatalog, type CatalogType } from '../../../catalog/graph';
import { parseLocaleQuery } from '../../../i18n/locale-query';
import { dataLicense } from '../../../utils/data-license';
import { publicUrlOf } from '../../../utils/public-url';

/** Plain JSON clients get the JSON-LD (it is JSON), labelled as they asked. */
const JSON_ALIAS = 'application/json';
const OFFERED = [...CATALOG_TYPES, JSON_ALIAS];

/** A host name (or IPv4/IPv6 address) and port as a request may name it: nothing else. */
const SANE_HOST = /^(?:[a-z0-9-]{1,63}(?:\.[a-z0-9-]{1,63})*\.?|\[[0-9a-f:.]{2,45}\])(?::\d{1,5})?$/i;

/**
 * PUBLIC_URL without its trailing slash; without one (development), the request's own origin,
 * if its Host is a plain host name (else 400: a Host header must not write the catalogue's IRIs).
 * Production sets PUBLIC_URL (docs/operators.md, "Production on PostgreSQL").
 */
function baseUrl(strapi: Core.Strapi, ctx: Context): string {
  const url = publicUrlOf(strapi);
  if (url) return url;
  if (!SANE_HOST.test(ctx.host)) throw new errors.ValidationError('Invalid Host header');
  return `${ctx.protocol}://${ctx.host}`;
}

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const facts: () => Promise<CatalogFacts> = untilNextWrite(strapi, () => loadCatalogFacts(strapi));
  return {
    async find(ctx: Context) {
      // `locale` is checked as on every read endpoint (a client may send it everywhere), and
      // changes nothing: the catalogue carries every language, each text tagged with its own.
      await parseLocaleQuery(strapi, ctx.query);
      ctx.vary('Accept');
      const accepted = ctx.accepts(OFFERED);
      if (!accepted) {
        // Strapi's error shape, built here: @strapi/utils has no 406 error class.
        ctx.status = 406;
        ctx.body = {
          data: null,
          error: {
            status: 406,
            name: 'NotAcceptableError',
            message: `Not acceptable: this catalogue is served as ${OFFERED.join(', ')}`,
            details: { offered: OFFERED },
          },
        };
        return;
      }
      const type: CatalogType = accepted === JSON_ALIAS ? 'application/ld+json' : (accepted as CatalogType);
      const graph = buildCatalogGraph({
        facts: await facts(),
        base: baseUrl(strapi, ctx),
        license: dataLicense(),
      });
      ctx.type = `${accepted}; charset=utf-8`;
      ctx.body = Buffer.from(serializeCatalog(graph, type), 'utf8');
    },
  };
};
