/**
 * The history page's data in one read: the organisation's founding and every published project,
 * service and enterprise, ordered by founding year, in one locale (with the locale fallback).
 */
import type { Core } from '@strapi/strapi';
import type { LocaleCode } from '../../../bootstrap/locales';
import { labelOf, PROJECT_KINDS, SERVICE_THEMES } from '../../../vocabulary/labels';

export type TimelineType = 'organisation' | 'project' | 'service' | 'enterprise';

export interface TimelineEntry {
  type: TimelineType;
  documentId: string;
  slug: string | null;
  title: string;
  locale: string;
  year: number;
  kind: { key: string; label: string } | null;
  site: { slug: string; name: string; commune: string } | null;
  summary: string | null;
  partner: string | null;
  formerName: string | null;
  legalForm: string | null;
  sectors: string[] | null;
}

export interface OrganisationIntro {
  name: string;
  legalForm: string | null;
  foundedYear: number;
  mission: string | null;
  independence: string | null;
  history: string | null;
  neighbourhoodIntro: string | null;
  socialIntro: string | null;
  funders: { slug: string; name: string; kind: string }[];
}

export interface Timeline {
  locale: LocaleCode;
  organisation: OrganisationIntro | null;
  entries: TimelineEntry[];
}

type Doc = Record<string, unknown> & { documentId: string; locale: string };
const TYPE_ORDER: TimelineType[] = ['organisation', 'project', 'service', 'enterprise'];

const entry = (
  type: TimelineType,
  doc: Doc,
  title: string,
  extra: Partial<TimelineEntry> = {},
): TimelineEntry => ({
  type,
  documentId: doc.documentId,
  slug: (doc.slug as string | undefined) ?? null,
  title,
  locale: doc.locale,
  year: doc.foundedYear as number,
  kind: null,
  site: null,
  summary: (doc.summary as string | null | undefined) ?? null,
  partner: null,
  formerName: null,
  legalForm: null,
  sectors: null,
  ...extra,
});

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async build(locale: LocaleCode): Promise<Timeline> {
    const read = { locale, status: 'published' } as const;
    const [organisation, projects, services, enterprises] = (await Promise.all([
      strapi.documents('api::organisation.organisation').findFirst({
        ...read,
        populate: { funders: { fields: ['slug', 'name', 'kind'] } },
      } as never),
      strapi.documents('api::project.project').findMany({
        ...read,
        populate: { site: { fields: ['slug', 'name', 'commune'] } },
      } as never),
      strapi.documents('api::service.service').findMany(read as never),
      strapi
        .documents('api::enterprise.enterprise')
        .findMany({ ...read, populate: { sectors: true } } as never),
    ])) as unknown as [Doc | null, Doc[], Doc[], Doc[]];

    const entries: TimelineEntry[] = [];
    if (organisation) {
      entries.push(
        entry('organisation', organisation, organisation.name as string, {
          legalForm: organisation.legalForm as string,
          summary: (organisation.mission as string | null) ?? null,
        }),
      );
    }
    for (const project of projects) {
      const site = project.site as TimelineEntry['site'];
      entries.push(
        entry('project', project, project.title as string, {
          kind: {
            key: project.kind as string,
            label: labelOf(PROJECT_KINDS, project.kind as string, locale),
          },
          site: site ? { slug: site.slug, name: site.name, commune: site.commune } : null,
          partner: (project.partner as string | null) ?? null,
        }),
      );
    }
    for (const service of services) {
      entries.push(
        entry('service', service, service.name as string, {
          kind: {
            key: service.theme as string,
            label: labelOf(SERVICE_THEMES, service.theme as string, locale),
          },
          formerName: (service.formerName as string | null) ?? null,
        }),
      );
    }
    for (const enterprise of enterprises) {
      entries.push(
        entry('enterprise', enterprise, enterprise.name as string, {
          legalForm: (enterprise.legalForm as string | null) ?? null,
          sectors: ((enterprise.sectors as { name: string }[] | null) ?? []).map((sector) => sector.name),
        }),
      );
    }
    entries.sort(
      (a, b) =>
        a.year - b.year ||
        TYPE_ORDER.indexOf(a.type) - TYPE_ORDER.indexOf(b.type) ||
        a.title.localeCompare(b.title, locale),
    );

    return {
      locale,
      organisation: organisation
        ? {
            name: organisation.name as string,
            legalForm: (organisation.legalForm as string | null) ?? null,
            foundedYear: organisation.foundedYear as number,
            mission: (organisation.mission as string | null) ?? null,
            independence: (organisation.independence as string | null) ?? null,
            history: (organisation.history as string | null) ?? null,
            neighbourhoodIntro: (organisation.neighbourhoodIntro as string | null) ?? null,
            socialIntro: (organisation.socialIntro as string | null) ?? null,
            funders: (organisation.funders as OrganisationIntro['funders']) ?? [],
          }
        : null,
      entries,
    };
  },
});
