// The history page of Inter-Actions, rebuilt from the public API alone:
// GET /api/timeline (introduction, projects with their place and year, services, enterprises,
// funders) and GET /api/vocabulary (labels of the funder kinds), in the reader's language.
// The language and the text size are remembered in localStorage. Entries that have no
// translation come back in French from the API (their `locale` says so) and are marked lang="fr".
'use strict';

(function () {
  const { store, element, entryHref } = window.InterActionsPage;

  const TEXT = {
    fr: {
      skip: 'Aller au contenu',
      languages: 'Langue',
      textSize: 'Taille du texte',
      smaller: 'Réduire le texte',
      normal: 'Taille normale du texte',
      larger: 'Agrandir le texte',
      title: 'Historique',
      loading: 'Chargement…',
      failed: 'Le contenu n’a pas pu être chargé. Veuillez réessayer plus tard.',
      introduction: 'L’association',
      founded: (year) => `Fondée en ${year}`,
      projects: 'Projets de quartier',
      services: 'Projets sociaux',
      enterprises: 'Entreprises d’insertion',
      funders: 'Financeurs',
      since: (year) => `depuis ${year}`,
      formerly: (name) => `anciennement ${name}`,
      partner: (name) => `avec ${name}`,
      footer: 'Contenu servi par l’API publique d’Inter-Actions.',
    },
    de: {
      skip: 'Zum Inhalt springen',
      languages: 'Sprache',
      textSize: 'Textgröße',
      smaller: 'Text verkleinern',
      normal: 'Normale Textgröße',
      larger: 'Text vergrößern',
      title: 'Geschichte',
      loading: 'Wird geladen…',
      failed: 'Der Inhalt konnte nicht geladen werden. Bitte versuchen Sie es später erneut.',
      introduction: 'Die Vereinigung',
      founded: (year) => `Gegründet ${year}`,
      projects: 'Stadtteilprojekte',
      services: 'Sozialprojekte',
      enterprises: 'Beschäftigungsbetriebe',
      funders: 'Geldgeber',
      since: (year) => `seit ${year}`,
      formerly: (name) => `früher ${name}`,
      partner: (name) => `mit ${name}`,
      footer: 'Inhalt aus der öffentlichen API von Inter-Actions.',
    },
    lb: {
      skip: 'Op den Inhalt goen',
      languages: 'Sprooch',
      textSize: 'Textgréisst',
      smaller: 'Text méi kleng',
      normal: 'Normal Textgréisst',
      larger: 'Text méi grouss',
      title: 'Geschicht',
      loading: 'Gëtt gelueden…',
      failed: 'Den Inhalt konnt net geluede ginn. Probéiert w.e.g. méi spéit nach eng Kéier.',
      introduction: 'D’Associatioun',
      founded: (year) => `Gegrënnt ${year}`,
      projects: 'Projeten an de Quartieren',
      services: 'Sozialprojeten',
      enterprises: 'Betriber fir d’Reintegratioun',
      funders: 'Finanzéierer',
      since: (year) => `zënter ${year}`,
      formerly: (name) => `fréier ${name}`,
      partner: (name) => `mat ${name}`,
      footer: 'Inhalt aus der ëffentlecher API vun Inter-Actions.',
    },
    en: {
      skip: 'Skip to content',
      languages: 'Language',
      textSize: 'Text size',
      smaller: 'Smaller text',
      normal: 'Normal text size',
      larger: 'Larger text',
      title: 'History',
      loading: 'Loading…',
      failed: 'The content could not be loaded. Please try again later.',
      introduction: 'The association',
      founded: (year) => `Founded in ${year}`,
      projects: 'Neighbourhood projects',
      services: 'Social projects',
      enterprises: 'Social-insertion enterprises',
      funders: 'Funders',
      since: (year) => `since ${year}`,
      formerly: (name) => `formerly ${name}`,
      partner: (name) => `with ${name}`,
      footer: 'Content served by the public API of Inter-Actions.',
    },
  };

  const byId = (id) => document.getElementById(id);

  /** Marks an entry that came back in French because it has no translation. */
  function inLocaleOf(node, entryLocale, locale) {
    if (entryLocale && entryLocale !== locale) node.setAttribute('lang', entryLocale);
    return node;
  }

  function applyStaticText(locale) {
    const text = TEXT[locale];
    document.documentElement.lang = locale;
    document.title = `${text.title} – Inter-Actions asbl`;
    for (const node of document.querySelectorAll('[data-text]')) {
      const key = node.getAttribute('data-text');
      if (node.hasAttribute('aria-label')) node.setAttribute('aria-label', text[key]);
      else node.textContent = text[key];
    }
    for (const node of document.querySelectorAll('[data-label]')) {
      node.setAttribute('aria-label', text[node.getAttribute('data-label')]);
    }
    for (const button of document.querySelectorAll('[data-locale]')) {
      button.setAttribute('aria-pressed', String(button.getAttribute('data-locale') === locale));
    }
  }

  function renderIntroduction(organisation, text, locale) {
    const container = byId('introduction-text');
    container.replaceChildren();
    const lead = element('p', undefined, { class: 'lead' });
    lead.append(
      element('a', `${organisation.name} ${organisation.legalForm || ''}`.trim(), {
        href: entryHref('organisation', null, locale),
      }),
      ` – ${text.founded(organisation.foundedYear)}`,
    );
    container.append(lead);
    for (const paragraph of [organisation.mission, organisation.independence, organisation.history]) {
      if (paragraph) container.append(element('p', paragraph));
    }
    byId('projects-intro').textContent = organisation.neighbourhoodIntro || '';
    byId('services-intro').textContent = organisation.socialIntro || '';
  }

  function entryItem(entry, locale, details) {
    const item = element('li');
    item.append(element('span', entry.year, { class: 'year' }), ' ');
    const title = entry.slug
      ? element('a', entry.title, { class: 'title', href: entryHref(entry.type, entry.slug, locale) })
      : element('span', entry.title, { class: 'title' });
    item.append(inLocaleOf(title, entry.locale, locale));
    const extra = details.filter(Boolean);
    if (extra.length > 0) item.append(' ', element('span', `(${extra.join(' · ')})`, { class: 'details' }));
    return item;
  }

  function renderPlaces(projects, locale, text) {
    const places = new Map();
    for (const project of projects) {
      const key = project.site ? project.site.slug : '';
      if (!places.has(key)) places.set(key, { site: project.site, projects: [] });
      places.get(key).projects.push(project);
    }
    const ordered = [...places.values()].sort(
      (a, b) => Math.min(...a.projects.map((p) => p.year)) - Math.min(...b.projects.map((p) => p.year)),
    );
    const container = byId('places');
    container.replaceChildren();
    for (const place of ordered) {
      const first = Math.min(...place.projects.map((project) => project.year));
      const article = element('article', undefined, { class: 'place' });
      const heading = element('h3', place.site ? place.site.name : '—');
      heading.append(' ', element('span', text.since(first), { class: 'since' }));
      article.append(heading);
      const list = element('ul', undefined, { class: 'entries' });
      for (const project of place.projects) {
        list.append(
          entryItem(project, locale, [
            project.kind && project.kind.label,
            project.partner && text.partner(project.partner),
          ]),
        );
      }
      article.append(list);
      container.append(article);
    }
  }

  function renderList(id, entries, locale, details) {
    const list = byId(id);
    list.replaceChildren(...entries.map((entry) => entryItem(entry, locale, details(entry))));
  }

  function renderFunders(funders, kinds) {
    const labels = new Map(kinds.map((kind) => [kind.key, kind.label]));
    const list = byId('funders-list');
    list.replaceChildren(
      ...funders.map((funder) => {
        const item = element('li');
        item.append(element('span', funder.name, { class: 'title' }));
        if (labels.has(funder.kind))
          item.append(' ', element('span', `(${labels.get(funder.kind)})`, { class: 'details' }));
        return item;
      }),
    );
  }

  async function fetchJson(path) {
    const response = await fetch(path, { headers: { Accept: 'application/json' } });
    if (!response.ok) throw new Error(`${path}: ${response.status}`);
    return response.json();
  }

  let current = 0;
  async function show(locale) {
    const request = ++current;
    const text = TEXT[locale];
    applyStaticText(locale);
    const status = byId('status');
    status.textContent = text.loading;
    status.hidden = false;
    try {
      const [timeline, vocabulary] = await Promise.all([
        fetchJson(`/api/timeline?locale=${locale}`),
        fetchJson(`/api/vocabulary?locale=${locale}`),
      ]);
      if (request !== current) return; // a later choice of language won
      const entries = timeline.data;
      const organisation = timeline.meta.organisation;
      if (organisation) renderIntroduction(organisation, text, locale);
      renderPlaces(
        entries.filter((entry) => entry.type === 'project'),
        locale,
        text,
      );
      renderList(
        'services-list',
        entries.filter((entry) => entry.type === 'service'),
        locale,
        (entry) => [entry.kind && entry.kind.label, entry.formerName && text.formerly(entry.formerName)],
      );
      renderList(
        'enterprises-list',
        entries.filter((entry) => entry.type === 'enterprise'),
        locale,
        (entry) => [entry.legalForm, ...(entry.sectors || [])],
      );
      renderFunders(organisation ? organisation.funders : [], vocabulary.data.funderKinds || []);
      const structured = window.InterActionsStructuredData; // schema.org JSON-LD (structured-data.js)
      structured.show(structured.fromTimeline(timeline, locale));
      for (const id of ['introduction', 'projects', 'services', 'enterprises', 'funders'])
        byId(id).hidden = false;
      status.textContent = '';
      status.hidden = true;
    } catch {
      if (request === current) status.textContent = text.failed;
    }
  }

  function start() {
    window.InterActionsPage.controls((locale) => {
      store.set('ia-locale', locale);
      show(locale);
    });
    show(window.InterActionsPage.savedLocale());
  }

  start();
})();
