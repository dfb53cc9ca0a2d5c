// @ts-check
/**
 * The embedding example: a portal page that hosts `<audience-lab>` and listens to its events,
 * and a second, portal-made UI that drives the typed `AudienceLab` client directly.
 */
/** The package as a portal serves it (`/pkg/`); typed from its sources. */
/** @type {typeof import('./lib/index.js')} */
const { AudienceLab } = await import(new URL('./pkg/index.js', import.meta.url).href);

const events = /** @type {HTMLOListElement} */ (document.getElementById('events'));
const element = /** @type {HTMLElement} */ (document.getElementById('embedded'));
for (const type of ['load', 'segmentchange', 'export', 'error']) {
  element.addEventListener(type, (ev) => {
    const detail = /** @type {CustomEvent} */ (ev).detail ?? {};
    const li = document.createElement('li');
    li.dataset.event = type;
    const summary = type === 'load' ? `${detail.kind}: ${detail.rowsLoaded} rows`
      : type === 'segmentchange' ? `${detail.segment?.name}: ${detail.count} members`
        : type === 'export' ? `${detail.filename} (${detail.bytes} bytes)`
          : `${detail.code}: ${detail.message}`;
    li.textContent = `${type} — ${summary}`;
    events.append(li);
  });
}

/** @type {Promise<import('./lib/index.js').AudienceLab> | null} */
let lab = null;
const input = /** @type {HTMLInputElement} */ (document.getElementById('byo-orders'));
const status = /** @type {HTMLElement} */ (document.getElementById('byo-status'));
const body = /** @type {HTMLElement} */ (document.querySelector('#byo-segments tbody'));
input.addEventListener('change', async () => {
  const file = input.files?.[0];
  if (!file) return;
  lab ??= AudienceLab.create();
  try {
    const client = await lab;
    const report = await client.load('orders', file, { onProgress: (p) => { status.textContent = `Loading… ${Math.round(p.fraction * 100)}%`; } });
    const rfm = await client.rfm();
    status.textContent = `${report.rowsLoaded} orders loaded, ${rfm.members} buyers.`;
    status.dataset.buyers = String(rfm.members);
    body.replaceChildren(...rfm.segments.map((s) => {
      const tr = document.createElement('tr');
      tr.dataset.segment = s.segment;
      for (const text of [s.label, String(s.members)]) {
        const td = document.createElement('td');
        td.textContent = text;
        tr.append(td);
      }
      return tr;
    }));
  } catch (e) {
    status.textContent = `Could not load: ${/** @type {Error} */ (e).message}`;
  }
});
