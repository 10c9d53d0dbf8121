// The page of one entry (project, service, enterprise, or the organisation), built from the API
// like the history page (history.js): the same look, texts set with textContent only.
//
// Public page:  /entry.html?type=project&slug=<slug>&locale=de   (the organisation needs no slug)
//   reads the published entry from the public API, with the locale fallback of the API.
// Preview:      /entry.html?type=project&documentId=<id>&locale=de#preview=<token>
//   the admin panel's preview (config/admin.ts, src/preview) opens this URL; the token, in the
//   fragment so that it is never sent to a server in a URL, goes to GET /api/preview in the
//   X-Preview-Token header and returns the draft. The locale is the token's: the language
//   buttons are off. When the panel says the draft changed (its `strapiUpdate` message), the
//   draft is read again.
'use strict';

(function () {
  const { LOCALES, store, element, entryHref } = window.InterActionsPage;
  /** The public API's route of each type, and the field that names an entry. */
  const TYPES = {
    project: {
      path: '/api/projects',
      name: 'title',
      collection: true,
      // The route's default (site; funders' names and slugs) and the cover image.
      populate: {
        'populate[site]': 'true',
        'populate[funders][fields][0]': 'name',
        'populate[funders][fields][1]': 'slug',
        'populate[cover]': 'true',
      },
    },
    service: { path: '/api/services', name: 'name', collection: true },
    enterprise: { path: '/api/enterprises', name: 'name', collection: true },
    organisation: { path: '/api/organisation', name: 'name', collection: false },
  };

  const TEXT = {
    fr: {
      skip: 'Aller au contenu',
      languages: 'Langue',
      textSize: 'Taille du texte',
      smaller: 'Réduire le texte',
      normal: 'Taille normale du texte',
      larger: 'Agrandir le texte',
      back: '← Historique',
      loading: 'Chargement…',
      failed: 'Le contenu n’a pas pu être chargé. Veuillez réessayer plus tard.',
      notFound: 'Cette page n’existe pas ou n’est pas publiée.',
      previewBanner: 'Aperçu du brouillon : cette version n’est pas publiée.',
      previewExpired: 'L’aperçu a expiré. Fermez-le et ouvrez-le à nouveau depuis l’administration.',
      previewRefused: 'Cet aperçu n’est pas valable. Ouvrez-le à nouveau depuis l’administration.',
      types: {
        project: 'Projet de quartier',
        service: 'Service social',
        enterprise: 'Entreprise d’insertion',
        organisation: 'L’association',
      },
      kind: 'Type',
      theme: 'Domaine',
      founded: 'Fondation',
      closed: 'Fin',
      site: 'Lieu',
      partner: 'Partenaire',
      formerName: 'Ancien nom',
      legalForm: 'Forme juridique',
      sectors: 'Secteurs',
      employees: 'Salariés (environ)',
      website: 'Site web',
      email: 'Courriel',
      phone: 'Téléphone',
      address: 'Adresse',
      funders: 'Financeurs',
      contact: 'Contact',
      services: 'Services',
      enterprises: 'Entreprises d’insertion',
      footer: 'Contenu servi par l’API publique d’Inter-Actions.',
    },
    de: {
      skip: 'Zum Inhalt springen',
      languages: 'Sprache',
      textSize: 'Textgröße',
      smaller: 'Text verkleinern',
      normal: 'Normale Textgröße',
      larger: 'Text vergrößern',
      back: '← Geschichte',
      loading: 'Wird geladen…',
      failed: 'Der Inhalt konnte nicht geladen werden. Bitte versuchen Sie es später erneut.',
      notFound: 'Diese Seite gibt es nicht oder sie ist nicht veröffentlicht.',
      previewBanner: 'Vorschau des Entwurfs: diese Fassung ist nicht veröffentlicht.',
      previewExpired:
        'Die Vorschau ist abgelaufen. Schließen Sie sie und öffnen Sie sie im Verwaltungsbereich erneut.',
      previewRefused: 'Diese Vorschau ist ungültig. Öffnen Sie sie im Verwaltungsbereich erneut.',
      types: {
        project: 'Stadtteilprojekt',
        service: 'Sozialer Dienst',
        enterprise: 'Beschäftigungsbetrieb',
        organisation: 'Die Vereinigung',
      },
      kind: 'Art',
      theme: 'Bereich',
      founded: 'Gründung',
      closed: 'Ende',
      site: 'Ort',
      partner: 'Partner',
      formerName: 'Früherer Name',
      legalForm: 'Rechtsform',
      sectors: 'Bereiche',
      employees: 'Beschäftigte (ungefähr)',
      website: 'Website',
      email: 'E-Mail',
      phone: 'Telefon',
      address: 'Adresse',
      funders: 'Geldgeber',
      contact: 'Kontakt',
      services: 'Dienste',
      enterprises: 'Beschäftigungsbetriebe',
      footer: 'Inhalt aus der öffentlichen API von Inter-Actions.',
    },
    lb: {
      skip: 'Op den Inhalt goen',
      languages: 'Sprooch',
      textSize: 'Textgréisst',
      smaller: 'Text méi kleng',
      normal: 'Normal Textgréisst',
      larger: 'Text méi grouss',
      back: '← Geschicht',
      loading: 'Gëtt gelueden…',
      failed: 'Den Inhalt konnt net geluede ginn. Probéiert w.e.g. méi spéit nach eng Kéier.',
      notFound: 'Dës Säit gëtt et net oder si ass net publizéiert.',
      previewBanner: 'Virschau vum Entworf: dës Versioun ass net publizéiert.',
      previewExpired: 'D’Virschau ass ofgelaf. Maacht se zou an am Verwaltungsberäich nees op.',
      previewRefused: 'Dës Virschau ass net gëlteg. Maacht se am Verwaltungsberäich nees op.',
      types: {
        project: 'Projet am Quartier',
        service: 'Soziale Service',
        enterprise: 'Betrib fir d’Reintegratioun',
        organisation: 'D’Associatioun',
      },
      kind: 'Aart',
      theme: 'Beräich',
      founded: 'Grënnung',
      closed: 'Enn',
      site: 'Plaz',
      partner: 'Partner',
      formerName: 'Fréieren Numm',
      legalForm: 'Rechtsform',
      sectors: 'Beräicher',
      employees: 'Beschäftegt (ongeféier)',
      website: 'Websäit',
      email: 'E-Mail',
      phone: 'Telefon',
      address: 'Adress',
      funders: 'Finanzéierer',
      contact: 'Kontakt',
      services: 'Servicer',
      enterprises: 'Betriber fir d’Reintegratioun',
      footer: 'Inhalt aus der ëffentlecher API vun Inter-Actions.',
    },
    en: {
      skip: 'Skip to content',
      languages: 'Language',
      textSize: 'Text size',
      smaller: 'Smaller text',
      normal: 'Normal text size',
      larger: 'Larger text',
      back: '← History',
      loading: 'Loading…',
      failed: 'The content could not be loaded. Please try again later.',
      notFound: 'This page does not exist or is not published.',
      previewBanner: 'Draft preview: this version is not published.',
      previewExpired: 'The preview has expired. Close it and open it again from the admin panel.',
      previewRefused: 'This preview is not valid. Open it again from the admin panel.',
      types: {
        project: 'Neighbourhood project',
        service: 'Social service',
        enterprise: 'Social-insertion enterprise',
        organisation: 'The association',
      },
      kind: 'Kind',
      theme: 'Field',
      founded: 'Founded',
      closed: 'Closed',
      site: 'Place',
      partner: 'Partner',
      formerName: 'Former name',
      legalForm: 'Legal form',
      sectors: 'Sectors',
      employees: 'Employees (about)',
      website: 'Website',
      email: 'E-mail',
      phone: 'Phone',
      address: 'Address',
      funders: 'Funders',
      contact: 'Contact',
      services: 'Services',
      enterprises: 'Social-insertion enterprises',
      footer: 'Content served by the public API of Inter-Actions.',
    },
  };

  const byId = (id) => document.getElementById(id);

  /** Only web addresses become links: no javascript:, data: or other schemes. */
  const webAddress = (value) => typeof value === 'string' && /^https?:\/\/[^\s]+$/i.test(value.trim());

  // ---------------------------------------------------------------------------------------------
  // What the page was asked for

  const params = new URLSearchParams(window.location.search);
  const type = Object.prototype.hasOwnProperty.call(TYPES, params.get('type')) ? params.get('type') : null;
  const slug = params.get('slug');
  const documentId = params.get('documentId');
  const previewToken = new URLSearchParams(window.location.hash.slice(1)).get('preview');
  const preview = Boolean(previewToken && documentId);
  const askedLocale = LOCALES.includes(params.get('locale')) ? params.get('locale') : null;

  function applyStaticText(locale) {
    const text = TEXT[locale];
    document.documentElement.lang = locale;
    for (const node of document.querySelectorAll('[data-text]')) {
      const key = node.getAttribute('data-text');
      if (node.hasAttribute('aria-label')) node.setAttribute('aria-label', text[key]);
      else node.textContent = text[key];
    }
    for (const node of document.querySelectorAll('[data-label]')) {
      node.setAttribute('aria-label', text[node.getAttribute('data-label')]);
    }
    for (const link of document.querySelectorAll('a[data-home]')) {
      // The history page remembers the language itself (localStorage).
      link.setAttribute('href', '/');
    }
    for (const button of document.querySelectorAll('[data-locale]')) {
      button.setAttribute('aria-pressed', String(button.getAttribute('data-locale') === locale));
      // A preview shows the draft of one locale: the token is for that one.
      if (preview) button.disabled = button.getAttribute('data-locale') !== locale;
    }
    const banner = byId('preview-banner');
    banner.hidden = !preview;
    if (preview) banner.textContent = text.previewBanner;
  }

  // ---------------------------------------------------------------------------------------------
  // Rendering

  const labelIn = (list, key) => {
    const found = (list || []).find((item) => item.key === key);
    return found ? found.label : key;
  };

  /** Markdown of a rich-text field, shown as its paragraphs, as text. */
  function paragraphs(value) {
    if (typeof value !== 'string') return [];
    return value
      .split(/\n\s*\n/)
      .map((part) => part.trim())
      .filter(Boolean);
  }

  function addFact(list, label, value) {
    if (value === undefined || value === null || value === '') return;
    list.append(element('dt', label));
    const definition = element('dd');
    if (value instanceof Node) definition.append(value);
    else definition.textContent = String(value);
    list.append(definition);
  }

  function link(text, href) {
    return element('a', text, { href });
  }

  /**
   * The entry's image with its alternative text in the page's locale, and every width the server
   * made of it as a srcset (WebP first, for the browsers that read it; then the image's own type),
   * so that a phone loads a small one.
   */
  function showCover(entry) {
    const picture = byId('entry-picture');
    const cover = byId('entry-cover');
    const webp = byId('entry-cover-webp');
    const file = entry.cover;
    if (!file || typeof file.url !== 'string' || !/^image\//.test(String(file.mime))) {
      picture.hidden = true;
      for (const element of [cover, webp]) element.removeAttribute('srcset');
      cover.removeAttribute('src');
      return;
    }
    const formats = Object.entries(file.formats || {})
      .filter(([, format]) => format && typeof format.url === 'string' && format.width > 0)
      .map(([name, format]) => Object.assign({ webp: name.startsWith('webp') }, format));
    const srcset = (list) =>
      list
        .sort((a, b) => a.width - b.width)
        .map((source) => `${source.url} ${source.width}w`)
        .join(', ');
    const sizes = '(max-width: 48rem) 100vw, 48rem';
    const own = formats.filter((format) => !format.webp).concat(file.width > 0 ? [file] : []);
    const webps = formats.filter((format) => format.webp);
    webp.srcset = srcset(webps);
    webp.sizes = sizes;
    if (webps.length === 0) webp.removeAttribute('srcset');
    cover.alt = typeof entry.coverAlt === 'string' ? entry.coverAlt : '';
    if (file.width > 0 && file.height > 0) {
      cover.width = file.width;
      cover.height = file.height;
    }
    cover.srcset = srcset(own);
    cover.sizes = sizes;
    cover.src = file.url;
    cover.decoding = 'async';
    picture.hidden = false;
  }

  function render(entry, vocabulary, locale) {
    const text = TEXT[locale];
    const spec = TYPES[type];
    const title = entry[spec.name] || '';
    const seo = entry.seo || {};
    document.title = `${seo.metaTitle || title} – Inter-Actions asbl`;
    const description = seo.metaDescription || entry.summary || '';
    document.querySelector('meta[name="description"]').setAttribute('content', description);

    const article = byId('entry');
    // An entry without a translation comes back in French from the API.
    if (entry.locale && entry.locale !== locale) article.setAttribute('lang', entry.locale);
    else article.removeAttribute('lang');
    byId('entry-type').textContent = text.types[type];
    byId('entry-title').textContent = title;
    const summary = byId('entry-summary');
    summary.textContent = entry.summary || '';
    summary.hidden = !entry.summary;

    showCover(entry);

    const facts = byId('entry-facts');
    facts.replaceChildren();
    if (entry.kind) addFact(facts, text.kind, labelIn(vocabulary.projectKinds, entry.kind));
    if (entry.theme) addFact(facts, text.theme, labelIn(vocabulary.serviceThemes, entry.theme));
    addFact(facts, text.founded, entry.foundedYear);
    addFact(facts, text.closed, entry.closedYear);
    if (entry.site) {
      const site = entry.site;
      const where = [site.name, site.quarter, site.commune].filter(
        (part, index, all) => part && all.indexOf(part) === index,
      );
      addFact(facts, text.site, where.join(', '));
    }
    addFact(facts, text.partner, entry.partner);
    addFact(facts, text.formerName, entry.formerName);
    addFact(facts, text.legalForm, entry.legalForm);
    if (Array.isArray(entry.sectors) && entry.sectors.length > 0)
      addFact(facts, text.sectors, entry.sectors.map((sector) => sector.name).join(', '));
    addFact(facts, text.employees, entry.employeesApprox);
    if (webAddress(entry.website)) addFact(facts, text.website, link(entry.website, entry.website.trim()));
    facts.hidden = facts.childElementCount === 0;

    const body = byId('entry-text');
    body.replaceChildren();
    const texts =
      type === 'organisation'
        ? [entry.mission, entry.independence, entry.history, entry.neighbourhoodIntro, entry.socialIntro]
        : [entry.description];
    for (const value of texts) for (const part of paragraphs(value)) body.append(element('p', part));

    // Services of an enterprise, enterprises of a service: links to their pages.
    const relatedName = type === 'service' ? 'enterprises' : type === 'enterprise' ? 'services' : null;
    const relatedType = type === 'service' ? 'enterprise' : 'service';
    const related = relatedName && Array.isArray(entry[relatedName]) ? entry[relatedName] : [];
    byId('related').hidden = related.length === 0;
    if (relatedName) byId('related-title').textContent = text[relatedName];
    byId('related-list').replaceChildren(
      ...related.map((item) => {
        const row = element('li');
        const name = item.name || item.title || '';
        row.append(item.slug ? link(name, entryHref(relatedType, item.slug, locale)) : element('span', name));
        return row;
      }),
    );

    const funders = Array.isArray(entry.funders) ? entry.funders : [];
    byId('funders').hidden = funders.length === 0;
    byId('funders-list').replaceChildren(
      ...funders.map((funder) => {
        const row = element('li');
        row.append(element('span', funder.name, { class: 'title' }));
        if (funder.kind)
          row.append(
            ' ',
            element('span', `(${labelIn(vocabulary.funderKinds, funder.kind)})`, { class: 'details' }),
          );
        return row;
      }),
    );

    const contact = entry.contact || {};
    const contactList = byId('contact-list');
    contactList.replaceChildren();
    if (typeof contact.email === 'string' && /^[^@\s]+@[^@\s]+$/.test(contact.email))
      addFact(contactList, text.email, link(contact.email, `mailto:${contact.email}`));
    addFact(contactList, text.phone, contact.phone);
    addFact(contactList, text.address, contact.address);
    if (webAddress(contact.website))
      addFact(contactList, text.website, link(contact.website, contact.website.trim()));
    byId('contact').hidden = contactList.childElementCount === 0;

    article.hidden = false;
  }

  // ---------------------------------------------------------------------------------------------
  // Reading

  class HttpError extends Error {
    constructor(status) {
      super(`HTTP ${status}`);
      this.status = status;
    }
  }

  async function fetchJson(path, headers) {
    const response = await fetch(path, {
      headers: Object.assign({ Accept: 'application/json' }, headers || {}),
      // A draft is read afresh every time; public answers revalidate by ETag.
      cache: preview ? 'no-store' : 'default',
    });
    if (!response.ok) throw new HttpError(response.status);
    return response.json();
  }

  /** The entry to show: the draft (preview) or the published entry, or null when there is none. */
  async function readEntry(locale) {
    if (preview) {
      const query = new URLSearchParams({ type, documentId, locale });
      const answer = await fetchJson(`/api/preview?${query}`, { 'X-Preview-Token': previewToken });
      return answer.data;
    }
    const spec = TYPES[type];
    if (!spec.collection) return (await fetchJson(`${spec.path}?${new URLSearchParams({ locale })}`)).data;
    if (!slug) return null;
    const query = new URLSearchParams({ 'filters[slug][$eq]': slug, locale });
    for (const [key, value] of Object.entries(spec.populate || {})) query.set(key, value);
    const answer = await fetchJson(`${spec.path}?${query}`);
    return Array.isArray(answer.data) && answer.data.length > 0 ? answer.data[0] : null;
  }

  let current = 0;
  async function show(locale) {
    const request = ++current;
    const text = TEXT[locale];
    applyStaticText(locale);
    const status = byId('status');
    status.textContent = text.loading;
    status.hidden = false;
    if (!type) {
      status.textContent = text.notFound;
      return;
    }
    try {
      const [entry, vocabulary] = await Promise.all([
        readEntry(locale),
        fetchJson(`/api/vocabulary?${new URLSearchParams({ locale })}`),
      ]);
      if (request !== current) return; // a later choice of language won
      if (!entry) {
        window.InterActionsStructuredData.show(null);
        byId('entry').hidden = true;
        status.textContent = text.notFound;
        return;
      }
      render(entry, vocabulary.data || {}, locale);
      // schema.org JSON-LD of the entry (structured-data.js).
      window.InterActionsStructuredData.show(
        window.InterActionsStructuredData.fromEntry(type, entry, locale),
      );
      status.textContent = '';
      status.hidden = true;
    } catch (error) {
      if (request !== current) return;
      byId('entry').hidden = true;
      const code = error instanceof HttpError ? error.status : 0;
      if (preview && code === 401) status.textContent = text.previewExpired;
      else if (preview && code === 403) status.textContent = text.previewRefused;
      else if (code === 404) status.textContent = text.notFound;
      else status.textContent = text.failed;
    }
  }

  function start() {
    let locale = askedLocale || window.InterActionsPage.savedLocale();
    window.InterActionsPage.controls((picked) => {
      if (preview) return;
      locale = picked;
      store.set('ia-locale', locale);
      const query = new URLSearchParams(window.location.search);
      query.set('locale', locale);
      window.history.replaceState(null, '', `${window.location.pathname}?${query}`);
      show(locale);
    });
    if (preview) {
      // The admin panel (same origin) tells its preview frame when the draft changed.
      window.addEventListener('message', (event) => {
        if (event.origin !== window.location.origin) return;
        if (event.data && event.data.type === 'strapiUpdate') show(locale);
      });
    }
    show(locale);
  }

  start();
})();
