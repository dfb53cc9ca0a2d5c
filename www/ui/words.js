// @ts-check
/**
 * The engine's words in one language. Every list the page offers of an engine word (node
 * types, operators, member columns, stages, segments, formats, roles, types …) and every label
 * it shows for one comes from the vocabulary (`lab.vocabulary()`), which the engine keeps with
 * its English and Chinese labels: the page spells no id a person reads, and a word the engine
 * learns shows without a change here.
 */

/** @typedef {import('../index.js').Vocabulary} Vocabulary */
/** @typedef {import('../index.js').Label} Label */
/** @typedef {import('../index.js').SegmentMapEntry} SegmentMapEntry */
/** @typedef {{ id: string, label: Label }} Entry */
/** An id with its label in the element's language (and what it means, when the vocabulary says). @typedef {{ id: string, text: string, title?: string }} Item */
/**
 * The vocabulary's lists of labelled entries.
 * @typedef {{ [K in keyof Vocabulary]: Vocabulary[K] extends Entry[] ? K : never }[keyof Vocabulary]} ListName
 */

export class Words {
  /** @type {Map<string, Map<string, Entry>>} */
  #index = new Map();

  /**
   * @param {Vocabulary} vocab
   * @param {import('./i18n.js').Lang} lang
   */
  constructor(vocab, lang) {
    this.vocab = vocab;
    this.lang = lang;
  }

  /** A label in this language. @param {Label | null | undefined} label */
  text = (label) => (label ? label[this.lang] || label.en : '');

  /**
   * The entry `id` of a list, if the vocabulary has it.
   * @template {ListName} N
   * @param {N} name
   * @param {string} id
   * @returns {Vocabulary[N][number] | undefined}
   */
  entry = (name, id) => {
    let index = this.#index.get(name);
    if (!index) {
      index = new Map(/** @type {Entry[]} */ (this.vocab[name]).map((e) => [e.id, e]));
      this.#index.set(name, index);
    }
    return /** @type {any} */ (index.get(id));
  };

  /**
   * The label of `id` in a list; an id the vocabulary lacks shows as it is.
   * @param {ListName} name
   * @param {string} id
   */
  word = (name, id) => {
    const e = this.entry(name, id);
    return e ? this.text(e.label) : id;
  };

  /**
   * A list's ids with their labels, in the vocabulary's order.
   * @param {ListName} name
   * @returns {Item[]}
   */
  list = (name) => /** @type {Entry[]} */ (this.vocab[name]).map((e) => ({ id: e.id, text: this.text(e.label) }));

  /**
   * The label of a role of a table (`member_id` of `orders`).
   * @param {string} table
   * @param {string} role
   */
  role = (table, role) => {
    const r = this.entry('tables', table)?.roles.find((x) => x.id === role);
    return r ? this.text(r.label) : role;
  };

  /**
   * The roles of a table with their labels.
   * @param {string} table
   * @returns {Item[]}
   */
  roles = (table) => (this.entry('tables', table)?.roles ?? []).map((r) => ({ id: r.id, text: this.text(r.label) }));

  /**
   * The RFM segments of a map (a preset's id, a user's map, or the engine's default map when
   * not given), then the segment of members without a purchase.
   * @param {string | SegmentMapEntry[] | undefined} map
   * @returns {Item[]}
   */
  segments = (map) => {
    const own = Array.isArray(map)
      ? map.map((s) => ({ id: s.id, text: (this.lang === 'zh' ? s.labelZh : s.label) || s.label || s.id }))
      : (this.entry('segmentMaps', map ?? this.vocab.segmentMaps[0]?.id ?? '')?.segments ?? []).map((s) => ({ id: s.id, text: this.text(s.label) }));
    return [...own, { id: this.vocab.prospect.id, text: this.text(this.vocab.prospect.label) }];
  };

  /**
   * The values a label column (`domain` of a catalog column) takes, with their labels.
   * @param {string | null | undefined} domain `segments`, `stages` or `buckets`
   * @param {string | SegmentMapEntry[] | undefined} map the segment map in use
   * @returns {Item[]}
   */
  domain = (domain, map) => (domain === 'segments' ? this.segments(map) : domain === 'stages' ? this.list('stages') : domain === 'buckets' ? this.list('buckets') : []);
}
