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
 * `cohorts`, `movement`, `clv`, `tags`, `builder`, `export`, `campaigns`), `worker-url` (where the engine
 * worker is, when `pkg/` is served elsewhere), `max-memory` (the engine's memory budget:
 * bytes, or a number with `MB`, `GB` (decimal), `MiB`, `GiB` (binary), e.g. `512MiB`, `1.5GB`;
 * a step past it fails with `OUT_OF_MEMORY` and the tables stay; default: what wasm allows). `worker-url` and
 * `max-memory` are read once, when the element creates its lab; a `max-memory` that is no
 * size stops the element with an error saying so (and an `error` event, code
 * `INVALID_OPTION`). Theme with CSS custom properties (`--al-accent`, `--al-bg`,
 * `--al-card`, `--al-text`, `--al-muted`, `--al-border`, `--al-radius`, `--al-font`).
 * Events: `segmentchange` (`detail: { segment, count }`), `export` (`detail: { format,
 * filename, bytes, segment }`; a campaign's list adds `campaign` and `arm`), `load` (`detail: report`, also for a file loaded again
 * and for each table restored from this browser),
 * `error` (`detail: { code, message }`), `enginelost` (`detail: { error, tables }`, the engine
 * stopped and its tables are gone), `langchange` (`detail: { lang }`, when the element's
 * language changes: its `lang` attribute, its header's language select or `restore()`), all
 * bubbling and composed.
 * Properties: `lab`, a promise of the `AudienceLab` client the element drives; `language`,
 * the language the element shows (`en` or `zh`; an element without a `lang` attribute shows
 * the browser's), so a page around it can speak the same.
 *
 * Every word of the engine the element shows (node types, operators, member columns, stages,
 * segments, formats, roles …) is labelled from the engine's vocabulary (`lab.vocabulary()`),
 * loaded once per element; views label them with `ctx.words` ({@link Words}).
 *
 * When the engine stops (a panic or a wasm trap, e.g. the browser refusing memory), its tables
 * are gone: the element shows the Load view, which says so, why, which files are no longer
 * loaded, and loads them again with one click (`lab.reload()`); a view asked for comes back
 * once the orders are loaded again.
 *
 * Every element is an app of its own: its worker and data, its screen, its language, its
 * options, rule and view choices. Two elements on a page share only the saved segments (the
 * user's library in localStorage) and the language a header last picked (the default of an
 * element without a `lang` attribute).
 *
 * `await el.save()` gives the element's state as JSON ({@link ElementState}): the screen, the
 * language, the analysis options, the rule being built and each view's choices; never a load
 * report or member data. `await el.restore(state)` applies such an object (unknown keys and
 * unfit values ignored, missing keys keep the current value) and resolves when the screen is
 * shown, so `b.restore(await a.save())` shows in `b` what `a` shows, over `b`'s own data.
 *
 * The header's switch "Keep data in this browser" (opt-in, off until the user turns it on)
 * keeps the loaded tables and the view state (the screen, the analysis options, the rule and
 * each view's choices: `save()` without the language) in the origin-private file system through
 * `lab.keep()`: when turned on, after every load, and (`lab.keepView()`, shortly after) when the
 * view state changes; the header then says what is kept and its size, with a Forget button.
 * Turning it off, or Forget, deletes all of it (`lab.forget()`). On the next visit the element
 * finds the workspace (`lab.kept()`), restores it (`lab.restore()`: the tables without their
 * files, a `load` event for each, then the view state) and the switch is on. A keep the storage
 * quota refuses keeps nothing and turns the switch off; a workspace of another version, or
 * damaged, is not read: the header says so and offers Forget. The workspace is one per origin:
 * two elements of a page that both keep their data keep it in the same place.
 */
import { AudienceLab, AudienceLabError } from '../index.js';
import { h } from './dom.js';
import { I18n, defaultLang, langOf, rememberLang } from './i18n.js';
import { formatSize, parseSize } from './size.js';
import { Store } from './store.js';
import { Words } from './words.js';

/**
 * What a view's `render` gets. `signal` aborts when the view is replaced (or the element
 * removed): a listener the view adds to anything that outlives it (the store, the host,
 * window) takes `{ signal }`.
 * `words` labels the engine's words in the element's language, `i18n` the app's own.
 * @typedef {{ store: Store, host: AudienceLabElement, i18n: I18n, words: Words, signal: AbortSignal,
 *             go: (view: string) => void, rerender: () => void, fail: (e: unknown) => void }} Ctx
 */
/** @typedef {(ctx: Ctx) => HTMLElement | Promise<HTMLElement>} View */
/**
 * `save()`'s result and `restore()`'s argument.
 * @typedef {{ version: 1, view: string, lang: import('./i18n.js').Lang } & import('./store.js').StoreState} ElementState
 */

/**
 * What the header says about the workspace kept in this browser: nothing (`off`), a restore or
 * a keep under way, what is kept, that it was forgotten, or why it is not kept or not restored.
 * @typedef {'off' | 'restoring' | 'keeping' | 'kept' | 'forgotten' | 'full' | 'refused' | 'failed'} KeepState
 */

/** Milliseconds a view state stays unchanged before it is kept (a burst of changes keeps once). */
const KEEP_VIEW_DELAY = 300;

/** The views in their order, each loaded when first shown. */
const VIEWS = /** @type {readonly string[]} */ (['load', 'overview', 'rfm', 'cohorts', 'movement', 'clv', 'tags', 'builder', 'export', 'campaigns']);

/** @type {Record<string, () => Promise<{ render: View }>>} */
const MODULES = {
  load: () => import('./views/load.js'),
  overview: () => import('./views/overview.js'),
  rfm: () => import('./views/rfm.js'),
  cohorts: () => import('./views/cohorts.js'),
  movement: () => import('./views/movement.js'),
  clv: () => import('./views/clv.js'),
  tags: () => import('./views/tags.js'),
  builder: () => import('./views/builder.js'),
  export: () => import('./views/export.js'),
  campaigns: () => import('./views/campaigns.js'),
};

export class AudienceLabElement extends HTMLElement {
  static observedAttributes = ['lang', 'view'];

  /** @type {ShadowRoot} */
  #root;
  /** @type {Promise<AudienceLab> | null} */
  #lab = null;
  /** @type {Promise<Store> | null} */
  #ready = null;
  /** @type {Store | null} */
  #store = null;
  /** The view asked for (shown once orders are loaded, when it needs them). */
  #view = 'load';
  /** The view in the panel. */
  #shown = '';
  #i18n = new I18n(defaultLang());
  /** @type {Words | null} the vocabulary's labels in the element's language */
  #words = null;
  /** Bumped per render so a slow view never replaces a newer one. */
  #generation = 0;
  /** Aborts the listeners of the view in the panel. */
  #listeners = new AbortController();
  /** Settles when the latest render has. */
  #rendered = Promise.resolve();
  /** Aborts the listeners that live as long as the element (the store's on its lab). */
  #alive = new AbortController();
  /** @type {string | null} the `max-memory` value the lab could not be made with (shown again after a redraw) */
  #badMaxMemory = null;
  /**
   * The workspace kept in this browser: whether the switch is on, what the header says (and
   * the engine's message behind it), what is kept, whether anything may be stored (Forget is
   * offered), the code of a refusal, and the files being restored.
   * @type {{ on: boolean, state: KeepState, message: string, code: string, kept: import('../index.js').KeptWorkspace | null, stored: boolean, restoring: string[] }}
   */
  #keep = { on: false, state: 'off', message: '', code: '', kept: null, stored: false, restoring: [] };
  /** The workspace calls, one after another in the order they were asked for. */
  #keepQueue = Promise.resolve();
  /** Whether a keep of the tables is queued and not started yet (a second one is not needed). */
  #keepPending = false;
  /** Whether a keep of the view state is queued and not started yet. */
  #keepViewPending = false;
  /** The view state last kept (JSON), so an unchanged one is not written again. */
  #keptView = '';
  /** @type {ReturnType<typeof setTimeout> | undefined} the pending keep of a changed view state */
  #keepTimer = undefined;

  constructor() {
    super();
    this.#root = this.attachShadow({ mode: 'open' });
    // Any input in the element may change a view's choices: the view state is looked at again.
    for (const type of ['change', 'input', 'click']) this.#root.addEventListener(type, () => this.#viewChanged());
  }

  /** The engine client this element drives (made on first use from `worker-url` and `max-memory`). */
  get lab() {
    this.#lab ??= this.#createLab();
    return this.#lab;
  }

  /** @returns {Promise<AudienceLab>} */
  #createLab() {
    /** @type {import('../index.js').CreateOptions} */
    const opts = {};
    const url = this.getAttribute('worker-url');
    if (url) opts.workerUrl = url;
    const max = this.getAttribute('max-memory');
    if (max !== null) {
      const bytes = parseSize(max);
      if (bytes === null) {
        this.#badMaxMemory = max;
        return Promise.reject(this.#maxMemoryError(max));
      }
      opts.maxMemory = bytes;
    }
    return AudienceLab.create(opts);
  }

  /** The error of a `max-memory` that is no size, in the element's language. @param {string} value */
  #maxMemoryError(value) {
    return new AudienceLabError('INVALID_OPTION', this.#i18n.t('app.badMaxMemory', { value }));
  }

  /** The view shown. */
  get view() {
    return this.#view;
  }

  /** The language the element shows: `en` or `zh`. */
  get language() {
    return this.#i18n.lang;
  }

  connectedCallback() {
    if (this.#ready) return;
    this.#shell();
    this.#engine().then(async (store) => {
      // What is kept in this browser is looked up before the first screen, then restored into it.
      const kept = await this.#keptAtStart(store);
      this.#render();
      if (kept) await this.#restoreKept(store, kept);
    }).catch((e) => this.#fail(e));
  }

  disconnectedCallback() {
    // Keep the worker while the element is only being moved; a removed element frees it.
    queueMicrotask(() => {
      if (this.isConnected) return;
      clearTimeout(this.#keepTimer);
      this.#listeners.abort();
      this.#alive.abort();
      this.#lab?.then((l) => l.terminate(), () => {});
    });
  }

  /** @param {string} name @param {string | null} _old @param {string | null} value */
  attributeChangedCallback(name, _old, value) {
    if (name === 'view' && value) this.show(value);
    if (name !== 'lang') return;
    const lang = langOf(value ?? defaultLang());
    if (lang === this.#i18n.lang) return;
    this.#speak(lang);
    // Before the element is connected the shell does not exist yet; it is built in this language.
    if (!this.#root.firstChild) return;
    this.#shell();
    this.#render();
  }

  /** Switches the element's language and tells the page. @param {import('./i18n.js').Lang} lang */
  #speak(lang) {
    this.#i18n = new I18n(lang);
    this.dispatchEvent(new CustomEvent('langchange', { detail: { lang }, bubbles: true, composed: true }));
  }

  /**
   * Shows a view.
   * @param {string} view
   */
  show(view) {
    if (!VIEWS.includes(view) || view === this.#view) return;
    this.#view = view;
    this.#markTabs();
    this.#render();
    this.#viewChanged();
  }

  /**
   * The element's state, JSON-serialisable: `{ version: 1, view, lang, options, segment,
   * cohorts, movement, clv, tags, builder, warehouse, export, campaigns }`. No load report and no member data.
   * @returns {Promise<ElementState>}
   */
  async save() {
    const store = await this.#engine();
    return { version: 1, view: this.#view, lang: this.#i18n.lang, ...store.snapshot() };
  }

  /**
   * Applies a state `save()` gave (here or in another element) and redraws; resolves when the
   * screen is shown. Unknown keys and values a field cannot take are ignored; a missing key
   * keeps the current value.
   * @param {Partial<ElementState> & Record<string, unknown>} state
   */
  async restore(state) {
    if (typeof state !== 'object' || state === null) throw new TypeError('restore(state): state must be an object from save()');
    const store = await this.#engine();
    store.apply(state);
    if (typeof state.view === 'string' && VIEWS.includes(state.view)) this.#view = state.view;
    const lang = state.lang === 'en' || state.lang === 'zh' ? state.lang : this.#i18n.lang;
    if (lang !== this.#i18n.lang) {
      this.#speak(lang);
      // The attribute follows, as when the header's select picks a language.
      this.setAttribute('lang', lang);
      this.#shell();
    } else {
      this.#markTabs();
    }
    this.#render();
    await this.#settled();
  }

  /** The store, made once the engine is up. */
  #engine() {
    this.#ready ??= this.lab.then(async (lab) => {
      const store = new Store(lab, await lab.vocabulary(), this.#alive.signal);
      store.addEventListener('change', (ev) => this.#onChange(/** @type {CustomEvent} */ (ev).detail));
      // A workspace kept in this browser follows every load and the view state.
      this.addEventListener('load', () => { if (this.#keep.on && this.#keep.state !== 'restoring') this.#keepTables(); }, { signal: this.#alive.signal });
      // A view state changed just before the page is hidden (or closed) is kept now.
      document.addEventListener('visibilitychange', () => { if (document.visibilityState === 'hidden') this.#keepViewNow(); }, { signal: this.#alive.signal });
      // The portal hears of it too: `enginelost` with the client's detail ({ error, tables }).
      lab.addEventListener('enginelost', (ev) => {
        const detail = /** @type {CustomEvent} */ (ev).detail;
        this.dispatchEvent(new CustomEvent('enginelost', { detail, bubbles: true, composed: true }));
      }, { signal: this.#alive.signal });
      this.#store = store;
      return store;
    });
    return this.#ready;
  }

  /** The view the panel shows: the one asked for, or Load while there are no orders. */
  #target() {
    return this.#store?.hasOrders || this.#view === 'load' ? this.#view : 'load';
  }

  /** Builds the header, the tabs and the panel. */
  #shell() {
    const { t, lang } = this.#i18n;
    const style = h('link', { rel: 'stylesheet', href: new URL('./ui.css', import.meta.url).href });
    const langSelect = h('select', { class: 'lang', 'aria-label': t('app.language') },
      h('option', { value: 'en', selected: lang === 'en' }, 'English'),
      h('option', { value: 'zh', selected: lang === 'zh' }, '简体中文'));
    langSelect.addEventListener('change', () => {
      const picked = langOf(langSelect.value);
      rememberLang(picked);
      this.setAttribute('lang', picked);
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
        h('p', { class: 'privacy', id: 'privacy' }, lockIcon(), t('app.privacy')),
        this.#keepBar()),
      langSelect);
    const panel = h('main', { id: 'panel', role: 'tabpanel', tabindex: '-1' });
    const status = h('p', { class: 'error', id: 'error', role: 'alert', hidden: true });
    this.#root.replaceChildren(style, header, tabs, status, panel);
    this.#shown = '';
    this.#markTabs();
    this.#paintKeep();
    // The element cannot start: say why again, in this language.
    if (this.#badMaxMemory !== null) this.#showError(this.#maxMemoryError(this.#badMaxMemory).message);
  }

  #markTabs() {
    const { t } = this.#i18n;
    const target = this.#target();
    for (const b of this.#root.querySelectorAll('[role=tab]')) {
      const on = /** @type {HTMLElement} */ (b).dataset.view === target;
      b.setAttribute('aria-selected', String(on));
      b.setAttribute('tabindex', on ? '0' : '-1');
      const needsOrders = !['load'].includes(/** @type {HTMLElement} */ (b).dataset.view ?? '') && !this.#store?.hasOrders;
      b.toggleAttribute('disabled', needsOrders);
      b.setAttribute('title', needsOrders ? t('nav.needsOrders') : '');
    }
    this.#root.getElementById('panel')?.setAttribute('aria-labelledby', `tab-${target}`);
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
    if (what !== 'data') this.#viewChanged();
    if (what === 'data') this.#markTabs();
    if (what === 'segment') this.#emitSegment();
    // The load view shows its own progress and reports; other views redraw with the data (and
    // a view asked for before there were orders appears once there are).
    if ((what === 'data' && (this.#shown !== 'load' || this.#target() !== 'load')) || what === 'options') this.#render();
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

  /** Draws the target view into the panel; the promise settles when it is there (or superseded). */
  #render() {
    this.#rendered = this.#draw();
    return this.#rendered;
  }

  /** Waits until the latest render, including any started while waiting, has settled. */
  async #settled() {
    let p;
    do {
      p = this.#rendered;
      await p;
    } while (p !== this.#rendered);
  }

  async #draw() {
    const store = this.#store;
    const panel = this.#root.getElementById('panel');
    if (!store || !panel) return;
    const view = this.#target();
    const gen = ++this.#generation;
    const listeners = new AbortController();
    this.#hideError();
    try {
      const mod = await MODULES[view]();
      const el = await mod.render({
        store, host: this, i18n: this.#i18n, words: this.#wordsFor(store), signal: listeners.signal,
        go: (v) => this.show(v), rerender: () => this.#render(), fail: (e) => this.#fail(e),
      });
      if (gen !== this.#generation) {
        listeners.abort();
        return;
      }
      this.#listeners.abort();
      this.#listeners = listeners;
      this.#shown = view;
      panel.replaceChildren(el);
      this.#viewChanged();
    } catch (e) {
      listeners.abort();
      if (gen === this.#generation) this.#fail(e);
    }
  }

  /** The switch, what is kept and the Forget button, in the header (painted by `#paintKeep`). */
  #keepBar() {
    const { t } = this.#i18n;
    const input = h('input', { type: 'checkbox', role: 'switch', id: 'keep-switch', 'aria-describedby': 'keep-status' });
    input.addEventListener('change', () => (input.checked ? this.#keepOn() : this.#forget()));
    const forget = h('button', { type: 'button', class: 'link', id: 'keep-forget', title: t('keep.forgetHint'), hidden: true }, t('keep.forget'));
    forget.addEventListener('click', () => this.#forget());
    return h('div', { class: 'keep', id: 'keep' },
      h('label', { class: 'switch', title: t('keep.hint') }, input, h('span', { class: 'track', 'aria-hidden': 'true' }), h('span', {}, t('keep.switch'))),
      h('span', { class: 'keep-status', id: 'keep-status', 'aria-live': 'polite', 'data-state': 'off' }),
      forget);
  }

  /** Shows the workspace's state in the header. */
  #paintKeep() {
    const { t } = this.#i18n;
    const input = /** @type {HTMLInputElement | null} */ (this.#root.getElementById('keep-switch'));
    const status = this.#root.getElementById('keep-status');
    const forget = this.#root.getElementById('keep-forget');
    if (!input || !status || !forget) return;
    const { on, state, message, code, kept, stored, restoring } = this.#keep;
    const list = (/** @type {string[]} */ names) => names.join(t('common.list'));
    input.checked = on;
    input.disabled = state === 'restoring';
    status.dataset.state = state;
    if (code) status.dataset.code = code;
    else delete status.dataset.code;
    if (state === 'kept' && kept) status.dataset.bytes = String(kept.bytes);
    else delete status.dataset.bytes;
    /** @type {Record<KeepState, string>} */
    const text = {
      off: '',
      restoring: t('keep.restoring', { tables: list(restoring) }),
      keeping: t('keep.keeping'),
      kept: kept ? t('keep.kept', { tables: list(kept.tables.map((x) => x.name)) || t('keep.noTables'), size: formatSize(kept.bytes, this.#i18n.locale) }) : '',
      forgotten: t('keep.forgotten'),
      full: t('keep.full'),
      refused: code === 'STORAGE_VERSION' ? t('keep.version') : t('keep.refused'),
      failed: t('keep.failed'),
    };
    status.replaceChildren(text[state], message ? h('span', { class: 'detail' }, message) : '');
    status.hidden = state === 'off';
    const wasFocused = this.#root.activeElement === forget;
    forget.hidden = !stored || state === 'restoring';
    // Forget done: the focus goes on to the switch rather than to the page.
    if (wasFocused && forget.hidden) input.focus();
  }

  /**
   * Says what the workspace's state is now.
   * @param {KeepState} state
   * @param {unknown} [error] the engine's error behind it (its message is shown, its code kept)
   */
  #setKeep(state, error) {
    const e = /** @type {{ code?: string, message?: string } | undefined} */ (error);
    this.#keep.state = state;
    this.#keep.message = e ? e.message ?? String(e) : '';
    this.#keep.code = e?.code ?? '';
    this.#paintKeep();
  }

  /**
   * Runs a workspace call after the ones asked for before it.
   * @template T
   * @param {(lab: AudienceLab) => Promise<T>} op
   * @returns {Promise<T>}
   */
  #queueKeep(op) {
    const run = this.#keepQueue.then(() => this.lab).then(op);
    this.#keepQueue = run.then(() => {}, () => {});
    return run;
  }

  /** The view state a workspace keeps: the element's state without its language. */
  #viewState() {
    const store = this.#store;
    return store && { version: 1, view: this.#view, ...store.snapshot() };
  }

  /**
   * At startup: what is kept in this browser, or null. A workspace that cannot be read is
   * said so in the header (with Forget); a browser without the storage keeps nothing.
   * @param {Store} store
   */
  async #keptAtStart(store) {
    try {
      return await this.#queueKeep(() => store.lab.kept());
    } catch (e) {
      if (/** @type {{ code?: string }} */ (e).code !== 'STORAGE_ERROR') this.#refused(e);
      return null;
    }
  }

  /**
   * Puts the kept tables in the engine and shows them as after a load, with the kept view
   * state; the switch is then on.
   * @param {Store} store
   * @param {import('../index.js').KeptWorkspace} kept
   */
  async #restoreKept(store, kept) {
    this.#keep.restoring = kept.tables.map((x) => x.name);
    this.#keep.stored = true;
    this.#setKeep('restoring');
    try {
      const restored = await this.#queueKeep((lab) => lab.restore());
      if (!restored) {
        this.#keep.stored = false;
        this.#setKeep('off');
        return;
      }
      const view = /** @type {Record<string, any> | null} */ (restored.view);
      if (view && typeof view === 'object') {
        store.apply(view);
        if (typeof view.view === 'string' && VIEWS.includes(view.view)) this.#view = view.view;
      }
      for (const report of restored.reports) {
        store.loaded(report);
        this.dispatchEvent(new CustomEvent('load', { detail: report, bubbles: true, composed: true }));
      }
      this.#keptView = JSON.stringify(this.#viewState());
      this.#keep.on = true;
      this.#keep.kept = { savedAt: restored.savedAt, tables: restored.tables, bytes: restored.bytes, view: restored.view };
      this.#setKeep('kept');
      this.#markTabs();
      this.#render();
    } catch (e) {
      this.#refused(e);
    }
  }

  /** A kept workspace that is not read: said in the header, the switch off, Forget offered. @param {unknown} e */
  #refused(e) {
    this.#keep.on = false;
    this.#keep.kept = null;
    this.#keep.stored = true;
    this.#setKeep('refused', e);
  }

  /** The switch is turned on: keeps the tables and the view state now. */
  #keepOn() {
    this.#keep.on = true;
    this.#keepTables();
  }

  /** Keeps every loaded table and the view state (once for a burst of loads). */
  #keepTables() {
    this.#setKeep('keeping');
    if (this.#keepPending) return;
    this.#keepPending = true;
    void this.#queueKeep(async (lab) => {
      this.#keepPending = false;
      // Switched off meanwhile: the forget queued after this deletes everything.
      if (!this.#keep.on) return;
      clearTimeout(this.#keepTimer);
      const view = this.#viewState();
      try {
        const kept = await lab.keep(view);
        this.#keptView = JSON.stringify(view);
        this.#keep.stored = true;
        if (!this.#keep.on) return;
        this.#keep.kept = kept;
        this.#setKeep('kept');
      } catch (e) {
        // Nothing stays: not what this keep wrote (the client removes it), nor an older one.
        this.#keep.on = false;
        this.#keep.kept = null;
        await lab.forget().catch(() => false);
        this.#keep.stored = false;
        this.#setKeep(isQuotaError(e) ? 'full' : 'failed', e);
        this.#tell(e);
      }
    }).catch((e) => this.#keepBroken(e));
  }

  /** Forget, or the switch turned off: deletes everything kept and says so. */
  #forget() {
    clearTimeout(this.#keepTimer);
    this.#keep.on = false;
    this.#paintKeep();
    void this.#queueKeep(async (lab) => {
      try {
        await lab.forget();
        this.#keep.kept = null;
        this.#keep.stored = false;
        this.#keptView = '';
        // Turned on again meanwhile: the keep queued after this says what is kept.
        if (!this.#keep.on) this.#setKeep('forgotten');
      } catch (e) {
        this.#setKeep('failed', e);
        this.#tell(e);
      }
    }).catch((e) => this.#keepBroken(e));
  }

  /** The view state may have changed: it is kept shortly (while the switch is on). */
  #viewChanged() {
    if (!this.#keep.on || this.#keep.state === 'restoring') return;
    clearTimeout(this.#keepTimer);
    this.#keepTimer = setTimeout(() => this.#keepViewNow(), KEEP_VIEW_DELAY);
  }

  /** Keeps the view state now if it changed since it was last kept (once for a burst of changes). */
  #keepViewNow() {
    clearTimeout(this.#keepTimer);
    if (!this.#keep.on || this.#keepViewPending) return;
    this.#keepViewPending = true;
    void this.#queueKeep(async (lab) => {
      this.#keepViewPending = false;
      const view = this.#viewState();
      if (!this.#keep.on || this.#keep.state === 'restoring' || !view) return;
      const json = JSON.stringify(view);
      if (json === this.#keptView) return;
      try {
        const kept = await lab.keepView(view);
        this.#keptView = json;
        if (kept && this.#keep.on) this.#keep.kept = kept;
      } catch (e) {
        this.#setKeep('failed', e);
        this.#tell(e);
      }
    }).catch((e) => this.#keepBroken(e));
  }

  /** A workspace call that could not run (the engine did not start): the switch off, the reason said. @param {unknown} e */
  #keepBroken(e) {
    this.#keepPending = false;
    this.#keepViewPending = false;
    this.#keep.on = false;
    this.#setKeep('failed', e);
  }

  /** Tells the page of an error the element shows itself (the `error` event). @param {unknown} e */
  #tell(e) {
    const err = /** @type {{ code?: string, message?: string }} */ (e ?? {});
    this.dispatchEvent(new CustomEvent('error', { detail: { code: err.code ?? 'INTERNAL', message: err.message ?? String(e) }, bubbles: true, composed: true }));
  }

  /** The vocabulary's labels in the element's language, made once per language. @param {Store} store */
  #wordsFor(store) {
    if (this.#words?.lang !== this.#i18n.lang) this.#words = new Words(store.vocab, this.#i18n.lang);
    return this.#words;
  }

  #hideError() {
    const box = this.#root.getElementById('error');
    if (box) box.hidden = true;
  }

  /** @param {string} message */
  #showError(message) {
    const box = this.#root.getElementById('error');
    if (box) {
      box.hidden = false;
      box.textContent = message;
    }
  }

  /** @param {unknown} e */
  #fail(e) {
    const err = /** @type {{ code?: string, message?: string }} */ (e ?? {});
    this.#showError(err.message ?? String(e));
    this.dispatchEvent(new CustomEvent('error', { detail: { code: err.code ?? 'INTERNAL', message: err.message ?? String(e) }, bubbles: true, composed: true }));
  }
}

/**
 * Whether an error of a keep is the storage quota: the client's `STORAGE_FULL`, or the browser's
 * own refusal as it reaches the page when the quota is hit before the client can say so (with
 * the legacy code 22 of a `QuotaExceededError`).
 * @param {unknown} e
 */
function isQuotaError(e) {
  const code = /** @type {{ code?: unknown }} */ (e)?.code;
  return code === 'STORAGE_FULL' || code === 22;
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
