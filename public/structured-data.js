// schema.org JSON-LD for the public pages, built from the same API answers the page shows: the
// association as an `NGO` (founding date, funders), its projects (`Project`, with their `Place`)
// and its social services (`Organization`: a service has a founding date, which schema.org's
// `Service` cannot hold), each `parentOrganization` of the association. It fills a
// `<script type="application/ld+json" id="structured-data">` in the page's head: a data block,
// never executed, so the Content-Security-Policy (script-src 'self') does not concern it.
// Loaded after page.js, before history.js or entry.js (all `defer`).
'use strict';

window.InterActionsStructuredData = (function () {
  const CONTEXT = 'https://schema.org';
  const { entryHref } = window.InterActionsPage;
  const origin = () => window.location.origin;
  const absolute = (path) => new URL(path, origin()).href;
  const organisationId = () => `${origin()}/#organisation`;
  /** A year as an ISO 8601 date of year precision, which schema.org's Date accepts. */
  const year = (value) => (Number.isInteger(value) ? String(value) : undefined);

  /** Leaves out what is empty: a property without a value says nothing. */
  function compact(node) {
    return Object.fromEntries(
      Object.entries(node).filter(
        ([, value]) =>
          value !== undefined &&
          value !== null &&
          value !== '' &&
          !(Array.isArray(value) && value.length === 0),
      ),
    );
  }

  function place(site) {
    if (!site) return undefined;
    return compact({
      '@type': 'Place',
      name: site.name,
      address: compact({ '@type': 'PostalAddress', addressLocality: site.commune }),
    });
  }

  const funders = (list) =>
    (Array.isArray(list) ? list : []).map((funder) =>
      compact({ '@type': 'Organization', name: funder.name }),
    );

  function organisation(data) {
    return compact({
      '@type': 'NGO',
      '@id': organisationId(),
      name: data.name,
      legalName: [data.name, data.legalForm].filter(Boolean).join(' '),
      foundingDate: year(data.foundedYear),
      url: absolute('/'),
      funder: funders(data.funders),
    });
  }

  /** A project or service: its name, founding, place, funders, its page. */
  function unit(type, data, locale) {
    return compact({
      '@type': type === 'project' ? 'Project' : 'Organization',
      name: data.title || data.name,
      description: data.summary,
      foundingDate: year(data.foundedYear !== undefined ? data.foundedYear : data.year),
      dissolutionDate: year(data.closedYear),
      location: place(data.site),
      funder: funders(data.funders),
      parentOrganization: { '@id': organisationId() },
      url: data.slug ? absolute(entryHref(type, data.slug, locale)) : undefined,
    });
  }

  /** The history page: the association and every project and service of the timeline. */
  function fromTimeline(timeline, locale) {
    const entries = Array.isArray(timeline.data) ? timeline.data : [];
    const nodes = entries
      .filter((entry) => entry.type === 'project' || entry.type === 'service')
      .map((entry) => unit(entry.type, entry, locale));
    const intro = timeline.meta && timeline.meta.organisation;
    return { '@context': CONTEXT, '@graph': [...(intro ? [organisation(intro)] : []), ...nodes] };
  }

  /** An entry's page: the entry, and the association it belongs to. */
  function fromEntry(type, entry, locale) {
    if (type === 'organisation') return { '@context': CONTEXT, ...organisation(entry) };
    if (type === 'project' || type === 'service')
      return { '@context': CONTEXT, ...unit(type, entry, locale) };
    if (type === 'enterprise')
      return {
        '@context': CONTEXT,
        ...compact({
          '@type': 'Organization',
          name: entry.name,
          legalName: [entry.name, entry.legalForm].filter(Boolean).join(' '),
          foundingDate: year(entry.foundedYear),
          description: entry.summary,
          url: entry.slug ? absolute(entryHref(type, entry.slug, locale)) : undefined,
        }),
      };
    return null;
  }

  /**
   * Fills the page's JSON-LD element, made on first use (the HTML keeps no script element without
   * a src); removed when there is nothing to say.
   */
  function show(data) {
    let element = document.getElementById('structured-data');
    if (!data) {
      if (element) element.remove();
      return;
    }
    if (!element) {
      element = document.createElement('script');
      element.type = 'application/ld+json';
      element.id = 'structured-data';
      document.head.append(element);
    }
    // `<` escaped: the element stays inert if the page is ever serialised (no `</script>` in it).
    element.textContent = JSON.stringify(data).replace(/</g, '\\u003c');
  }

  return Object.freeze({ fromTimeline, fromEntry, show });
})();
