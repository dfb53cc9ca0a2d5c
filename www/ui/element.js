// @ts-check
/**
 * `<audience-lab>`: the whole app as one custom element with its own shadow DOM, so an admin
 * portal can embed it with one tag.
 *
 * ```html
 * <script type="module" src="/pkg/ui/element.js"></script>
 * <audience-lab lang="zh-CN" view="rfm"></audience-lab>
 * ```
 *
 * Attributes: `lang` (`en`, `zh`; default: the browser's), `view` (`load`, `overview`, `rfm`,
 * `cohorts`, `tags`, `builder`, `export`), `worker-url` (where the engine worker is, when
 * `pkg/` is served elsewhere). Theme with CSS custom properties (`--al-accent`, `--al-bg`,
 * `--al-card`, `--al-text`, `--al-muted`, `--al-border`, `--al-radius`, `--al-font`).
 * Events: `segmentchange` (`detail: { segment, count }`), `export` (`detail: { format,
 * filename, bytes, segment }`), `load` (`detail: report`), `error` (`detail: { code, message }`).
 * Property `lab`: a promise of the `AudienceLab` client the element drives.
 */
import { AudienceLab } from '../index.js';
import { h } from './dom.js';
import { t, setLang, lang } from './i18n.js';
import { Store } from './store.js';

/** @typedef {{ store: Store, host: AudienceLabElement, go: (view: string) => void, rerender: () => void, fail: (e: unknown) => void }} Ctx */
/** @typedef {(ctx: Ctx) => HTMLElement | Promise<HTMLElement>} View */

/** The views in their order, each loaded when first shown. */
const VIEWS = /** @type {const} */ (['load', 'overview', 'rfm', 'cohorts', 'tags', 'builder', 'export']);

/** @type {Record<string, () => Promise<{ render: View }>>} */
const MODULES = {
  load: () => import('./views/load.js'),
  overview: () => import('./views/overview.js'),
  rfm: () => import('./views/rfm.js'),
  cohorts: () => import('./views/cohorts.js'),
  tags: () => import('./views/tags.js'),
  builder: () => import('./views/builder.js'),
  export: () => import('./views/export.js'),
};

export class AudienceLabElement extends HTMLElement {
  static observedAttributes = ['lang', 'view'];

  /** @type {ShadowRoot} */
  #root;
  /** @type {Promise<AudienceLab> | null} */
  #lab = null;
  /** @type {Store | null} */
  #store = null;
  #view = 'load';
  /** Bumped per render so a slow view never replaces a newer one. */
  #generation = 0;

  constructor() {
    super();
    this.#root = this.attachShadow({ mode: 'open' });
  }

  /** The engine client this element drives. */
  get lab() {
    this.#lab ??= AudienceLab.create(this.getAttribute('worker-url') ? { workerUrl: /** @type {string} */ (this.getAttribute('worker-url')) } : {});
    return this.#lab;
  }

  /** The view shown. */
  get view() {
    return this.#view;
  }

  connectedCallback() {
    if (this.#store) return;
    const attr = this.getAttribute('lang');
    if (attr) setLang(attr);
    this.#view = VIEWS.includes(/** @type {any} */ (this.getAttribute('view'))) ? /** @type {string} */ (this.getAttribute('view')) : 'load';
    this.#shell();
    this.lab.then(
      (lab) => {
        this.#store = new Store(lab);
        this.#store.addEventListener('change', (ev) => this.#onChange(/** @type {CustomEvent} */ (ev).detail));
        this.#render();
      },
      (e) => this.#fail(e),
    );
  }

  disconnectedCallback() {
    // Keep the worker while the element is only being moved; a removed element frees it.
    queueMicrotask(() => {
      if (!this.isConnected) this.#lab?.then((l) => l.terminate());
    });
  }

  /** @param {string} name @param {string | null} _old @param {string | null} value */
  attributeChangedCallback(name, _old, value) {
    if (!this.#store) return;
    if (name === 'lang' && value) {
      setLang(value);
      this.#shell();
      this.#render();
    } else if (name === 'view' && value) {
      this.show(value);
    }
  }

  /**
   * Shows a view.
   * @param {string} view
   */
  show(view) {
    if (!VIEWS.includes(/** @type {any} */ (view)) || view === this.#view) return;
    this.#view = view;
    this.#markTabs();
    this.#render();
  }

  /** Builds the header, the tabs and the panel. */
  #shell() {
    const style = h('link', { rel: 'stylesheet', href: new URL('./ui.css', import.meta.url).href });
    const langSelect = h('select', { class: 'lang', 'aria-label': t('app.language') },
      h('option', { value: 'en', selected: lang() === 'en' }, 'English'),
      h('option', { value: 'zh', selected: lang() === 'zh' }, '简体中文'));
    langSelect.addEventListener('change', () => {
      setLang(langSelect.value, true);
      this.setAttribute('lang', langSelect.value);
    });
    const tabs = h('nav', { class: 'tabs', role: 'tablist', 'aria-label': t('app.title') },
      ...VIEWS.map((v) => {
        const b = h('button', { type: 'button', role: 'tab', id: `tab-${v}`, 'data-view': v, 'aria-controls': 'panel' }, t(/** @type {any} */ (`nav.${v}`)));
        b.addEventListener('click', () => this.show(v));
        return b;
      }));
    tabs.addEventListener('keydown', (ev) => this.#tabKeys(ev));
    const header = h('header', { class: 'top' },
      h('div', { class: 'brand' }, h('h1', {}, t('app.title')),
        h('p', { class: 'privacy', id: 'privacy' }, lockIcon(), t('app.privacy'))),
      langSelect);
    const panel = h('main', { id: 'panel', role: 'tabpanel', tabindex: '-1' });
    const status = h('p', { class: 'error', id: 'error', role: 'alert', hidden: true });
    this.#root.replaceChildren(style, header, tabs, status, panel);
    this.#markTabs();
  }

  #markTabs() {
    for (const b of this.#root.querySelectorAll('[role=tab]')) {
      const on = /** @type {HTMLElement} */ (b).dataset.view === this.#view;
      b.setAttribute('aria-selected', String(on));
      b.setAttribute('tabindex', on ? '0' : '-1');
      const needsOrders = !['load'].includes(/** @type {HTMLElement} */ (b).dataset.view ?? '') && !this.#store?.hasOrders;
      b.toggleAttribute('disabled', needsOrders);
      b.setAttribute('title', needsOrders ? t('nav.needsOrders') : '');
    }
    this.#root.getElementById('panel')?.setAttribute('aria-labelledby', `tab-${this.#view}`);
  }

  /** Arrow keys move between tabs (WAI-ARIA tabs pattern). @param {KeyboardEvent} ev */
  #tabKeys(ev) {
    const tabs = /** @type {HTMLButtonElement[]} */ ([...this.#root.querySelectorAll('[role=tab]:not([disabled])')]);
    const i = tabs.findIndex((b) => b === this.#root.activeElement);
    const next = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: tabs.length - 1 }[ev.key];
    if (next === undefined || i < 0) return;
    ev.preventDefault();
    const b = tabs[(next + tabs.length) % tabs.length];
    b.focus();
    b.click();
  }

  /** @param {string} what */
  #onChange(what) {
    if (what === 'data') this.#markTabs();
    if (what === 'segment') this.#emitSegment();
    // The load view shows its own progress and reports; other views redraw with the data.
    if ((what === 'data' && this.#view !== 'load') || what === 'options') this.#render();
  }

  async #emitSegment() {
    const store = this.#store;
    if (!store?.hasOrders) return;
    try {
      const count = await store.lab.count(store.segment, store.options);
      this.dispatchEvent(new CustomEvent('segmentchange', { detail: { segment: store.segment, count }, bubbles: true, composed: true }));
    } catch {
      // The builder shows the rule's error itself.
    }
  }

  async #render() {
    const store = this.#store;
    const panel = this.#root.getElementById('panel');
    if (!store || !panel) return;
    const view = store.hasOrders || this.#view === 'load' ? this.#view : 'load';
    const gen = ++this.#generation;
    this.#hideError();
    try {
      const mod = await MODULES[view]();
      const el = await mod.render({ store, host: this, go: (v) => this.show(v), rerender: () => this.#render(), fail: (e) => this.#fail(e) });
      if (gen === this.#generation) panel.replaceChildren(el);
    } catch (e) {
      if (gen === this.#generation) this.#fail(e);
    }
  }

  #hideError() {
    const box = this.#root.getElementById('error');
    if (box) box.hidden = true;
  }

  /** @param {unknown} e */
  #fail(e) {
    const err = /** @type {{ code?: string, message?: string }} */ (e ?? {});
    const box = this.#root.getElementById('error');
    if (box) {
      box.hidden = false;
      box.textContent = err.message ?? String(e);
    }
    this.dispatchEvent(new CustomEvent('error', { detail: { code: err.code ?? 'INTERNAL', message: err.message ?? String(e) }, bubbles: true, composed: true }));
  }
}

function lockIcon() {
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('viewBox', '0 0 16 16');
  svg.setAttribute('aria-hidden', 'true');
  const path = document.createElementNS('http://www.w3.org/2000/svg', 'path');
  path.setAttribute('fill', 'currentColor');
  path.setAttribute('d', 'M8 1a3.5 3.5 0 0 0-3.5 3.5V7H4a1 1 0 0 0-1 1v6a1 1 0 0 0 1 1h8a1 1 0 0 0 1-1V8a1 1 0 0 0-1-1h-.5V4.5A3.5 3.5 0 0 0 8 1Zm-2 6V4.5a2 2 0 1 1 4 0V7H6Z');
  svg.append(path);
  return svg;
}

if (!customElements.get('audience-lab')) customElements.define('audience-lab', AudienceLabElement);
