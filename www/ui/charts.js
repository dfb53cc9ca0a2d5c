// @ts-check
/**
 * Charts with Apache ECharts, loaded from the package's own `vendor/` folder (no CDN), drawn
 * as SVG, with tooltips rendered by ECharts itself (rich text, not HTML) so that values from
 * the user's files never become markup and no inline style is needed under the page's CSP.
 */

/** @type {Promise<any> | null} */
let echarts = null;

/** The ECharts module, loaded once. */
function lib() {
  echarts ??= import(/* webpackIgnore: true */ new URL('../vendor/echarts.esm.min.js', import.meta.url).href);
  return echarts;
}

/** The theme colours, read from the element's CSS custom properties. */
function palette(/** @type {Element} */ el) {
  const css = getComputedStyle(el);
  const v = (/** @type {string} */ name, /** @type {string} */ fallback) => css.getPropertyValue(name).trim() || fallback;
  return {
    accent: v('--al-accent', '#2f6fed'),
    text: v('--al-text', '#1d2330'),
    muted: v('--al-muted', '#5f6b7a'),
    series: [v('--al-accent', '#2f6fed'), v('--al-series-2', '#f59e0b'), v('--al-series-3', '#10b981'), v('--al-series-4', '#ef4444'), v('--al-series-5', '#8b5cf6')],
  };
}

/**
 * Draws `option` into `el`, a chart of the view whose listeners `signal` scopes. ECharts keeps
 * every chart in a registry of its module until it is disposed, and a ResizeObserver keeps
 * its chart: both end when the view is replaced (`signal` aborts).
 * @param {HTMLElement} el
 * @param {(p: ReturnType<typeof palette>) => object} option
 * @param {AbortSignal} signal
 */
export async function draw(el, option, signal) {
  const ec = await lib();
  // Views are drawn before they are attached; a chart needs its element's size.
  for (let i = 0; i < 120 && !el.isConnected && !signal.aborted; i++) await new Promise((r) => requestAnimationFrame(r));
  if (!el.isConnected || signal.aborted) return null;
  const p = palette(el);
  const chart = ec.init(el, null, { renderer: 'svg' });
  chart.setOption({
    color: p.series,
    textStyle: { color: p.text, fontFamily: 'inherit' },
    tooltip: { renderMode: 'richText' },
    animation: false,
    ...option(p),
  });
  const resize = new ResizeObserver(() => chart.resize());
  resize.observe(el);
  signal.addEventListener('abort', () => {
    resize.disconnect();
    chart.dispose();
  }, { once: true });
  return chart;
}

/** The colours of the lifecycle stages, the same in every chart (`not_yet` faint). */
const STAGE_COLORS = /** @type {Record<string, string>} */ ({
  not_yet: '#c9d0da', prospect: '#a5b4fc', new: '#10b981', active: '#2f6fed', dormant: '#f59e0b', churned: '#ef4444',
});
/** Colours for states without one of their own (RFM segments), in order. */
const MORE_COLORS = ['#1d4ed8', '#0ea5e9', '#14b8a6', '#22c55e', '#84cc16', '#eab308', '#f97316', '#ef4444', '#db2777', '#9333ea', '#64748b', '#0f766e'];

/**
 * A colour for each state: the stage's own, else the next of a palette in the order given
 * (`faint`, members that do not exist yet, grey).
 * @param {string[]} states
 * @param {string} faint
 * @returns {Map<string, string>}
 */
export function stateColors(states, faint) {
  const stages = states.every((s) => s in STAGE_COLORS);
  let i = 0;
  return new Map(states.map((s) => [s, s === faint ? STAGE_COLORS.not_yet : stages ? STAGE_COLORS[s] : s === 'prospect' ? STAGE_COLORS.prospect : MORE_COLORS[i++ % MORE_COLORS.length]]));
}
