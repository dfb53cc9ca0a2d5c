// @ts-check
/** Tags: frequency table, overlap matrix and the intersections (UpSet) of a chosen tag set. */
import { h } from '../dom.js';
import { t } from '../i18n.js';

/** @typedef {import('../element.js').Ctx} Ctx */

/** @param {Ctx} _ctx */
export function render(_ctx) {
  return h('section', { class: 'card view-tags' }, h('h2', {}, t('tags.title')), h('p', { class: 'hint' }, t('tags.none')));
}
