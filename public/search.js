// The search box of the history page: GET /api/search as the reader types (debounced), in the
// page's language (the <html lang> that history.js sets), results linking to each entry's page.
// Keyboard: type, then Down moves into the results, Up and Down between them, Escape clears and
// returns to the box. Snippets are plain text from the API with the matched words between [[ and
// ]]: they are built as text nodes and <mark> elements, never as markup.
'use strict';

(function () {
  const { element, entryHref } = window.InterActionsPage;
  const DEBOUNCE_MS = 250;
  const MIN_LENGTH = 2;
  const PAGE_SIZE = 8;
  /** Types that have a page of their own (entry.html). */
  const WITH_PAGE = new Set(['project', 'service', 'enterprise']);

  const TEXT = {
    fr: {
      heading: 'Rechercher',
      label: 'Rechercher un projet, un service, un lieu',
      results: (n) => (n === 0 ? 'Aucun résultat' : n === 1 ? '1 résultat' : `${n} résultats`),
      failed: 'La recherche n’a pas abouti. Veuillez réessayer.',
      types: {
        project: 'Projet',
        service: 'Service',
        enterprise: 'Entreprise',
        site: 'Lieu',
        funder: 'Financeur',
      },
    },
    de: {
      heading: 'Suchen',
      label: 'Projekt, Dienst oder Ort suchen',
      results: (n) => (n === 0 ? 'Keine Ergebnisse' : n === 1 ? '1 Ergebnis' : `${n} Ergebnisse`),
      failed: 'Die Suche ist fehlgeschlagen. Bitte versuchen Sie es erneut.',
      types: {
        project: 'Projekt',
        service: 'Dienst',
        enterprise: 'Unternehmen',
        site: 'Ort',
        funder: 'Geldgeber',
      },
    },
    lb: {
      heading: 'Sichen',
      label: 'E Projet, e Service oder eng Plaz sichen',
      results: (n) => (n === 0 ? 'Keng Resultater' : n === 1 ? '1 Resultat' : `${n} Resultater`),
      failed: 'D’Sich huet net geklappt. Probéiert w.e.g. nach eng Kéier.',
      types: {
        project: 'Projet',
        service: 'Service',
        enterprise: 'Betrib',
        site: 'Plaz',
        funder: 'Finanzéierer',
      },
    },
    en: {
      heading: 'Search',
      label: 'Search for a project, a service or a place',
      results: (n) => (n === 0 ? 'No results' : n === 1 ? '1 result' : `${n} results`),
      failed: 'The search failed. Please try again.',
      types: {
        project: 'Project',
        service: 'Service',
        enterprise: 'Enterprise',
        site: 'Place',
        funder: 'Funder',
      },
    },
  };

  const localeOf = () => (TEXT[document.documentElement.lang] ? document.documentElement.lang : 'fr');

  /** The snippet as nodes: text, and <mark> around what was between [[ and ]]. */
  function snippetNodes(snippet) {
    const nodes = [];
    for (const [index, part] of snippet.split(/\[\[|\]\]/).entries()) {
      if (part) nodes.push(index % 2 === 1 ? element('mark', part) : document.createTextNode(part));
    }
    return nodes;
  }

  const container = document.getElementById('search');
  if (!container) return;
  const heading = element('h2', '', { id: 'search-title' });
  const form = element('form', undefined, { role: 'search', class: 'search-form' });
  const label = element('label', '', { for: 'search-input' });
  const input = element('input', undefined, {
    id: 'search-input',
    type: 'search',
    autocomplete: 'off',
    spellcheck: 'false',
    maxlength: '200',
    'aria-describedby': 'search-status',
  });
  const status = element('p', '', {
    id: 'search-status',
    role: 'status',
    'aria-live': 'polite',
    class: 'search-status',
  });
  const list = element('ul', undefined, { id: 'search-results', class: 'search-results' });
  form.append(label, input);
  container.append(heading, form, status, list);
  container.setAttribute('aria-labelledby', 'search-title');

  function applyText() {
    const text = TEXT[localeOf()];
    heading.textContent = text.heading;
    label.textContent = text.label;
  }

  function render(hits, total, locale) {
    const text = TEXT[locale];
    status.textContent = text.results(total);
    list.replaceChildren(
      ...hits.map((hit) => {
        const item = element('li');
        const kind = element('span', text.types[hit.type] || hit.type, { class: 'search-type' });
        const title =
          WITH_PAGE.has(hit.type) && hit.slug
            ? element('a', hit.title, { href: entryHref(hit.type, hit.slug, locale), class: 'search-title' })
            : element('span', hit.title, { class: 'search-title' });
        if (hit.locale && hit.locale !== locale) title.setAttribute('lang', hit.locale);
        item.append(kind, ' ', title);
        if (hit.site && hit.site.name)
          item.append(' ', element('span', `(${hit.site.name})`, { class: 'details' }));
        if (hit.snippet && hit.snippet !== hit.title) {
          const snippet = element('p', undefined, { class: 'search-snippet' });
          if (hit.locale && hit.locale !== locale) snippet.setAttribute('lang', hit.locale);
          snippet.append(...snippetNodes(hit.snippet));
          item.append(snippet);
        }
        return item;
      }),
    );
  }

  let timer;
  let controller;
  async function run() {
    const q = input.value.trim();
    if (controller) controller.abort();
    if (q.length < MIN_LENGTH) {
      list.replaceChildren();
      status.textContent = '';
      return;
    }
    const locale = localeOf();
    controller = new AbortController();
    const query = new URLSearchParams({ q: q.slice(0, 200), locale, pageSize: String(PAGE_SIZE) });
    try {
      const response = await fetch(`/api/search?${query}`, {
        headers: { Accept: 'application/json' },
        signal: controller.signal,
      });
      if (!response.ok) throw new Error(String(response.status));
      const body = await response.json();
      render(body.data, body.meta.pagination.total, locale);
    } catch (error) {
      if (error && error.name === 'AbortError') return;
      list.replaceChildren();
      status.textContent = TEXT[locale].failed;
    }
  }

  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(run, DEBOUNCE_MS);
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    clearTimeout(timer);
    run();
  });

  const links = () => [...list.querySelectorAll('a')];
  input.addEventListener('keydown', (event) => {
    if (event.key === 'ArrowDown' && links().length > 0) {
      event.preventDefault();
      links()[0].focus();
    } else if (event.key === 'Escape') {
      input.value = '';
      run();
    }
  });
  list.addEventListener('keydown', (event) => {
    const all = links();
    const index = all.indexOf(document.activeElement);
    if (index < 0) return;
    if (event.key === 'ArrowDown' && index < all.length - 1) {
      event.preventDefault();
      all[index + 1].focus();
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      (index === 0 ? input : all[index - 1]).focus();
    } else if (event.key === 'Escape') {
      input.focus();
    }
  });

  // history.js sets <html lang> when the reader picks a language: labels and results follow.
  new MutationObserver(() => {
    applyText();
    if (input.value.trim().length >= MIN_LENGTH) run();
  }).observe(document.documentElement, { attributes: true, attributeFilter: ['lang'] });
  applyText();
})();
