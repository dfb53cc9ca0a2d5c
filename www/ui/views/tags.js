// @ts-check
/**
 * Tags: the frequency table, the pairwise overlap matrix (members in both, or Jaccard) of a
 * chosen tag set, and the UpSet view of its exclusive intersections. Any tag or intersection
 * becomes the audience in the builder with one click.
 */
import { h } from '../dom.js';
import { upset } from '../upset.js';

/** @typedef {import('../element.js').Ctx} Ctx */

/** @param {Ctx} ctx */
export async function render(ctx) {
  const { store } = ctx;
  const { t, num, pct, dec } = ctx.i18n;
  const state = store.choices.tags;
  const report = await store.lab.tags({ ...store.options, tags: state.tags ?? undefined, top: 8, limit: 20 });
  if (report.frequency.length === 0) {
    return h('section', { class: 'card view-tags' }, h('h2', {}, t('tags.title')), h('p', { class: 'hint', id: 'tags-none' }, t('tags.none')));
  }
  /** @param {string} name @param {any} rule */
  const open = (name, rule) => {
    store.setSegment({ version: 1, name, rule });
    ctx.go('builder');
  };
  const label = (/** @type {string[]} */ tags) => (tags.length ? tags.join(' ∩ ') : t('tags.none2'));

  const freq = h('table', { class: 'tag-table', id: 'tag-frequency' },
    h('thead', {}, h('tr', {}, h('th', {}, t('tags.tag')), h('th', { class: 'num' }, t('tags.members')), h('th', { class: 'num' }, t('tags.share')))),
    h('tbody', {}, ...report.frequency.map((f) => {
      const b = h('button', { type: 'button', class: 'link', title: t('tags.toRule') }, f.tag);
      b.addEventListener('click', () => open(f.tag, { tags: { any: [f.tag] } }));
      return h('tr', { 'data-tag': f.tag }, h('td', {}, b), h('td', { class: 'num members' }, num(f.members)), h('td', { class: 'num' }, pct(f.share)));
    })));

  // The tag set: the 20 most frequent to choose from; the engine's default is its top 8.
  const picks = h('fieldset', { class: 'tag-picks', id: 'tag-set' }, h('legend', {}, t('tags.pick')),
    ...report.frequency.slice(0, 20).map((f) => {
      const cb = h('input', { type: 'checkbox', value: f.tag, checked: report.set.includes(f.tag) });
      cb.addEventListener('change', () => {
        const chosen = [...picks.querySelectorAll('input:checked')].map((c) => /** @type {HTMLInputElement} */ (c).value);
        state.tags = chosen.length ? chosen : null;
        ctx.rerender();
      });
      return h('label', {}, cb, ` ${f.tag}`);
    }));

  const show = h('select', { id: 'overlap-show' }, ...store.rules.tags.show.map((v) => h('option', { value: v, selected: state.show === v }, t(/** @type {any} */ (`tags.${v}`)))));
  show.addEventListener('change', () => { state.show = /** @type {'counts' | 'jaccard'} */ (show.value); ctx.rerender(); });
  const matrix = h('table', { class: 'overlap', id: 'tag-overlap' },
    h('thead', {}, h('tr', {}, h('th', {}), ...report.set.map((tag) => h('th', {}, tag)))),
    h('tbody', {}, ...report.set.map((a, i) => h('tr', { 'data-tag': a }, h('th', {}, a), ...report.set.map((b, j) => {
      const td = h('td', { class: 'num', 'data-count': report.overlap[i][j], title: `${a} ∩ ${b}: ${num(report.overlap[i][j])} · Jaccard ${dec(report.jaccard[i][j], 3)}` },
        state.show === 'jaccard' ? dec(report.jaccard[i][j], 2) : num(report.overlap[i][j]));
      td.style.setProperty('--heat', String(i === j ? 0.15 : Math.min(1, report.jaccard[i][j] * 3)));
      return td;
    })))));

  const plot = upset({
    set: report.set,
    sizes: report.set.map((_, i) => report.overlap[i][i]),
    intersections: report.intersections,
    format: num,
    label,
    onPick: (j) => {
      const x = report.intersections[j];
      open(x.tags.length ? `${t('tags.only')} ${label(x.tags)}` : label(x.tags), x.rule.rule ?? x.rule);
    },
  });
  plot.id = 'upset';

  return h('section', { class: 'card view-tags' },
    h('div', { class: 'title-row' }, h('h2', {}, t('tags.title')),
      h('span', { class: 'muted', id: 'tags-summary' }, t('tags.summary', { tagged: num(report.tagged), members: num(report.members) }))),
    h('div', { class: 'tags-body' },
      h('div', { class: 'scroll' }, freq),
      h('div', {},
        picks,
        h('h3', {}, t('tags.upset')), h('p', { class: 'hint' }, t('tags.upsetHint')),
        h('div', { class: 'scroll' }, plot),
        h('div', { class: 'title-row' }, h('h3', {}, t('tags.overlap')), h('label', {}, `${t('tags.show')} `, show)),
        h('div', { class: 'scroll' }, matrix))));
}
