// @ts-check
/** The standalone page: offers offline use through a service worker that caches the app's own files. */
const status = document.getElementById('offline-status');
if ('serviceWorker' in navigator) {
  navigator.serviceWorker.register('sw.js').then(
    () => navigator.serviceWorker.ready.then(() => { if (status) status.textContent = 'Works offline: the app is cached in this browser.'; }),
    (e) => { if (status) status.textContent = `Offline use unavailable: ${e.message}`; },
  );
}
