// @ts-check
/**
 * An UpSet plot drawn as SVG by this project (UpSet.js is AGPL): one column per exclusive
 * intersection of a tag set (bar = its size, dots below = the tags its members have), and a
 * bar per tag on the left for the tag's size. Columns are buttons: click or Enter picks one.
 * Tag names and sizes become SVG text nodes, never markup.
 */

const NS = 'http://www.w3.org/2000/svg';

/**
 * An SVG element with attributes.
 * @param {string} tag
 * @param {Record<string, string | number>} [attrs]
 * @param {...(Node | string)} children
 * @returns {SVGElement}
 */
function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  for (const c of children) el.append(typeof c === 'string' ? document.createTextNode(c) : c);
  return /** @type {SVGElement} */ (el);
}

/**
 * Draws the plot.
 * @param {{ set: string[], sizes: number[], intersections: { tags: string[], size: number }[],
 *           format: (n: number) => string, label: (tags: string[]) => string,
 *           onPick: (index: number) => void }} o
 * @returns {SVGElement}
 */
export function upset(o) {
  const col = 26;
  const row = 22;
  const left = 190;
  const barH = 150;
  const top = 18;
  const n = o.intersections.length;
  const width = left + n * col + 10;
  const height = top + barH + 8 + o.set.length * row + 8;
  const maxI = Math.max(1, ...o.intersections.map((x) => x.size));
  const maxS = Math.max(1, ...o.sizes);
  const svg = s('svg', { viewBox: `0 0 ${width} ${height}`, width, height, class: 'upset', role: 'group' });
  const gridTop = top + barH + 8;

  // Tag rows: name, size bar (to the left of the dot matrix), zebra background.
  o.set.forEach((tag, i) => {
    const y = gridTop + i * row;
    if (i % 2 === 0) svg.append(s('rect', { x: left - 4, y, width: n * col + 8, height: row, class: 'zebra' }));
    const w = Math.max(1, (o.sizes[i] / maxS) * 60);
    svg.append(s('rect', { x: left - 10 - w, y: y + 6, width: w, height: row - 12, class: 'set-bar' },
      s('title', {}, `${tag}: ${o.format(o.sizes[i])}`)));
    svg.append(s('text', { x: left - 76, y: y + row / 2 + 4, 'text-anchor': 'end', class: 'set-name' }, tag));
  });

  // Intersection columns: bar, size, dots, and the line joining the dots.
  o.intersections.forEach((x, j) => {
    const cx = left + j * col + col / 2;
    const h = (x.size / maxI) * (barH - 14);
    const g = s('g', { class: 'column', tabindex: 0, role: 'button', 'data-index': j, 'aria-label': `${o.label(x.tags)}: ${o.format(x.size)}` });
    g.append(s('rect', { x: cx - col / 2, y: top, width: col, height: gridTop - top + o.set.length * row, class: 'hit' }));
    g.append(s('rect', { x: cx - 8, y: top + barH - h, width: 16, height: h, class: 'bar' }));
    g.append(s('text', { x: cx, y: top + barH - h - 3, 'text-anchor': 'middle', class: 'size' }, o.format(x.size)));
    const cy = (/** @type {number} */ i) => gridTop + i * row + row / 2;
    const ys = o.set.map((tag, i) => (x.tags.includes(tag) ? cy(i) : null)).filter((y) => y !== null);
    if (ys.length > 1) g.append(s('line', { x1: cx, x2: cx, y1: Math.min(...ys), y2: Math.max(...ys), class: 'link' }));
    o.set.forEach((tag, i) => g.append(s('circle', { cx, cy: cy(i), r: 6, class: x.tags.includes(tag) ? 'dot on' : 'dot' })));
    g.append(s('title', {}, `${o.label(x.tags)}: ${o.format(x.size)}`));
    g.addEventListener('click', () => o.onPick(j));
    g.addEventListener('keydown', (ev) => {
      if (/** @type {KeyboardEvent} */ (ev).key === 'Enter' || /** @type {KeyboardEvent} */ (ev).key === ' ') {
        ev.preventDefault();
        o.onPick(j);
      }
    });
    svg.append(g);
  });
  return svg;
}
