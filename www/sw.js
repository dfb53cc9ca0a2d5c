// The service worker of the standalone page: caches the app's own files (never user data:
// files are read from disk, not fetched) so the page works offline. Network first, so a new
// build is picked up when online; the cache answers when offline.
// A new name whenever the list changes, so an old cache is dropped on activation.
const CACHE = 'audience-lab-v8';
const APP = [
  './', 'index.html', 'page.css', 'page.js', 'icon.svg', 'embed.html', 'embed.js',
  'pkg/index.js', 'pkg/worker.js', 'pkg/part-worker.js', 'pkg/workspace.js', 'pkg/protocol.js', 'pkg/types.js', 'pkg/generated.js', 'pkg/audience_lab.js', 'pkg/audience_lab_bg.wasm',
  'pkg/ui/element.js', 'pkg/ui/ui.css', 'pkg/ui/i18n.js', 'pkg/ui/words.js', 'pkg/ui/dom.js', 'pkg/ui/store.js', 'pkg/ui/charts.js',
  'pkg/ui/mapping.js', 'pkg/ui/report.js', 'pkg/ui/columns.js', 'pkg/ui/upset.js', 'pkg/ui/lost.js', 'pkg/ui/size.js', 'pkg/ui/dates.js', 'pkg/ui/warehouse.js',
  'pkg/ui/views/load.js', 'pkg/ui/views/overview.js', 'pkg/ui/views/rfm.js', 'pkg/ui/views/cohorts.js', 'pkg/ui/views/movement.js', 'pkg/ui/views/clv.js',
  'pkg/ui/views/tags.js', 'pkg/ui/views/builder.js', 'pkg/ui/views/nodes.js', 'pkg/ui/views/fields.js',
  'pkg/ui/views/compare.js', 'pkg/ui/views/export.js', 'pkg/ui/views/campaigns.js',
  'pkg/vendor/echarts.esm.min.js',
];

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((c) => c.addAll(APP)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys().then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k)))).then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' || url.origin !== self.location.origin) return;
  event.respondWith(
    fetch(event.request)
      .then((res) => {
        if (res.ok && APP.some((p) => url.pathname.endsWith(p.replace(/^\.\//, '/')))) {
          const copy = res.clone();
          caches.open(CACHE).then((c) => c.put(event.request, copy));
        }
        return res;
      })
      .catch(() => caches.match(event.request).then((hit) => hit ?? Response.error())),
  );
});
