// Counts the event listeners that live on the long-lived objects of the app — each element's
// Store, the `<audience-lab>` hosts, window and document — from outside the app, so a test
// can see a view that adds a listener on every render and never takes it away.

/**
 * An init script (`openPage(..., { init: watchListeners })`): wraps `addEventListener` and
 * `removeEventListener` of every EventTarget before the page's own scripts run, and installs
 * `globalThis.listenerCounts()`. A listener added with an `AbortSignal` stops counting when
 * the signal aborts, as the browser removes it then without calling `removeEventListener`.
 * `once` listeners are counted until removed: none of the watched targets gets one from the app.
 */
export function watchListeners() {
  /** @type {Map<EventTarget, Set<string>>} */
  const live = new Map();
  /** @type {EventTarget[]} */
  const stores = [];
  /** @type {WeakMap<object, number>} */
  const ids = new WeakMap();
  let nextId = 0;
  /** @param {EventTarget} target */
  const watched = (target) => {
    if (target === window || target === document) return true;
    if (target instanceof HTMLElement) return target.localName === 'audience-lab';
    if (target?.constructor?.name !== 'Store') return false;
    if (!stores.includes(target)) stores.push(target);
    return true;
  };
  /** Identity of (type, listener, capture): the browser adds a repeat of one only once. */
  const key = (/** @type {string} */ type, /** @type {any} */ listener, /** @type {any} */ options) => {
    if (!ids.has(listener)) ids.set(listener, nextId++);
    const capture = typeof options === 'boolean' ? options : Boolean(options?.capture);
    return `${type}\u0001${ids.get(listener)}\u0001${capture}`;
  };
  const add = EventTarget.prototype.addEventListener;
  const remove = EventTarget.prototype.removeEventListener;
  /** @type {typeof add} */
  EventTarget.prototype.addEventListener = function (type, listener, options) {
    add.call(this, type, listener, options);
    if (!listener || !watched(this)) return;
    const signal = typeof options === 'object' ? options.signal : undefined;
    if (signal?.aborted) return;
    const k = key(type, listener, options);
    const set = live.get(this) ?? new Set();
    live.set(this, set);
    set.add(k);
    if (signal) add.call(signal, 'abort', () => set.delete(k), { once: true });
  };
  /** @type {typeof remove} */
  EventTarget.prototype.removeEventListener = function (type, listener, options) {
    remove.call(this, type, listener, options);
    if (listener && live.has(this)) live.get(this)?.delete(key(type, listener, options));
  };
  const count = (/** @type {EventTarget} */ t) => live.get(t)?.size ?? 0;
  Object.assign(globalThis, {
    listenerCounts: () => ({
      stores: stores.map(count),
      hosts: [...document.querySelectorAll('audience-lab')].map(count),
      window: count(window),
      document: count(document),
    }),
  });
}

/**
 * The listener counts `watchListeners` keeps, per Store (in the order they were made), per
 * `<audience-lab>` host (in document order), on window and on document.
 * @param {import('playwright-core').Page} page
 * @returns {Promise<{ stores: number[], hosts: number[], window: number, document: number }>}
 */
export function listenerCounts(page) {
  return page.evaluate(() => /** @type {any} */ (globalThis).listenerCounts());
}
