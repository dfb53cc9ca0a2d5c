// @ts-check
/**
 * The standalone page: offers offline use through a service worker that caches the app's own
 * files, and speaks the language of the app it hosts (the footer and `<html lang>` follow the
 * element's `language` and its `langchange` events).
 */

/** The page's own words; the app's are in the element. */
const TEXT = {
  en: {
    title: 'audience-lab — member analytics in your browser',
    embedding: 'Embedding audience-lab in your portal',
    offline: 'Works offline: the app is cached in this browser.',
    noOffline: 'Offline use unavailable: {reason}',
  },
  zh: {
    title: 'audience-lab — 在浏览器中分析会员',
    embedding: '在您的系统中嵌入 audience-lab',
    offline: '可离线使用：应用已缓存在本浏览器中。',
    noOffline: '无法离线使用：{reason}',
  },
};

const app = /** @type {import('./ui/element.js').AudienceLabElement} */ (document.getElementById('app'));
const status = /** @type {HTMLElement} */ (document.getElementById('offline-status'));
const embedding = /** @type {HTMLElement} */ (document.getElementById('embedding'));
/** @type {'en' | 'zh'} */
let lang = 'en';
/** The service worker's state: not known yet, ready, or why not. @type {null | { ok: true } | { ok: false, reason: string }} */
let offline = null;

/** Writes the page's words in the app's language. */
function paint() {
  const text = TEXT[lang];
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  document.title = text.title;
  embedding.textContent = text.embedding;
  status.textContent = offline === null ? '' : offline.ok ? text.offline : text.noOffline.replace('{reason}', offline.reason);
}

app.addEventListener('langchange', (ev) => {
  lang = /** @type {CustomEvent<{ lang: 'en' | 'zh' }>} */ (ev).detail.lang;
  paint();
});
customElements.whenDefined('audience-lab').then(() => {
  lang = app.language;
  paint();
});

if ('serviceWorker' in navigator) {
  navigator.serviceWorker.register('sw.js').then(
    () => navigator.serviceWorker.ready.then(() => { offline = { ok: true }; paint(); }),
    (e) => { offline = { ok: false, reason: e.message }; paint(); },
  );
}
