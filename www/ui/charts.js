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
