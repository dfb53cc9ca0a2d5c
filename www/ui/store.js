// @ts-check
/**
 * The app's state: the engine client, the loaded tables' reports, the analysis options every
 * view shares, the rule being built and the saved segments (kept in localStorage: rules only,
 * never member data). Views listen for `change` events naming what changed.
 */

/** @typedef {import('../index.js').AudienceLab} AudienceLab */
/** @typedef {import('../index.js').LoadReport} LoadReport */
/** @typedef {import('../index.js').AnalysisOptions} AnalysisOptions */
/** @typedef {{ version: 1, name: string, rule: any }} SegmentDoc */

const SAVED_KEY = 'audience-lab.segments';

export class Store extends EventTarget {
  /** @param {AudienceLab} lab */
  constructor(lab) {
    super();
    this.lab = lab;
    /** @type {Partial<Record<'orders' | 'members' | 'member_tags', LoadReport>>} */
    this.reports = {};
    /** @type {AnalysisOptions} */
    this.options = {};
    /** @type {SegmentDoc} */
    this.segment = { version: 1, name: 'untitled', rule: { all: [] } };
    /** @type {SegmentDoc[]} */
    this.saved = readSaved();
    // The engine resolves `{ segment: name }` nodes from its own copy of the saved rules.
    for (const s of this.saved) lab.saveSegment(s).catch(() => {});
  }

  /** Whether the rule being built has no condition yet (an empty group). */
  get emptySegment() {
    return isEmptyRule(this.segment.rule);
  }

  /** Whether orders are loaded (every analysis needs them). */
  get hasOrders() {
    return Boolean(this.reports.orders);
  }

  /** Member attribute field names (for rule and export column pickers). */
  get memberColumns() {
    return (this.reports.members?.columns ?? []).filter((c) => c.type !== 'ignored' && c.role !== 'member_id' && c.role !== 'tags')
      .map((c) => (c.role === 'join_date' ? 'join_day' : c.role ?? c.name));
  }

  /** Order text columns (for `purchased` conditions and KPI splits). */
  get orderColumns() {
    return (this.reports.orders?.columns ?? []).filter((c) => c.type === 'string' && !['member_id', 'order_id', 'sku'].includes(c.role ?? ''))
      .map((c) => c.role ?? c.name);
  }

  /**
   * Announces a change: `data` (tables), `options`, `segment`, `saved`, `lang`.
   * @param {string} what
   */
  changed(what) {
    this.dispatchEvent(new CustomEvent('change', { detail: what }));
  }

  /** @param {LoadReport} report */
  loaded(report) {
    this.reports[report.kind] = report;
    this.changed('data');
  }

  /** @param {AnalysisOptions} options */
  setOptions(options) {
    this.options = { ...this.options, ...options };
    this.changed('options');
  }

  /** @param {SegmentDoc} segment */
  setSegment(segment) {
    this.segment = segment;
    this.changed('segment');
  }

  /** Saves the current segment under its name (replacing one of the same name). */
  save() {
    this.saved = [...this.saved.filter((s) => s.name !== this.segment.name), structuredClone(this.segment)];
    writeSaved(this.saved);
    this.lab.saveSegment(this.segment).catch(() => {});
    this.changed('saved');
  }

  /**
   * Takes segments the engine has already saved (an imported library) into the saved list.
   * @param {SegmentDoc[]} segments
   */
  adopt(segments) {
    const names = new Set(segments.map((s) => s.name));
    this.saved = [...this.saved.filter((s) => !names.has(s.name)), ...segments.map((s) => ({ version: /** @type {const} */ (1), name: s.name, rule: s.rule }))];
    writeSaved(this.saved);
    this.changed('saved');
  }

  /** @param {string} name */
  remove(name) {
    this.saved = this.saved.filter((s) => s.name !== name);
    writeSaved(this.saved);
    this.lab.deleteSegment(name).catch(() => {});
    this.changed('saved');
  }
}

/**
 * Whether a rule is an empty `all`/`any` group (nothing to count yet).
 * @param {any} rule
 */
export function isEmptyRule(rule) {
  if (!rule || typeof rule !== 'object') return true;
  const [type, body] = Object.entries(rule)[0] ?? [];
  return !type || ((type === 'all' || type === 'any') && Array.isArray(body) && body.every(isEmptyRule));
}

/** @returns {SegmentDoc[]} */
function readSaved() {
  try {
    const list = JSON.parse(globalThis.localStorage?.getItem(SAVED_KEY) ?? '[]');
    return Array.isArray(list) ? list.filter((s) => s && typeof s.name === 'string' && s.rule) : [];
  } catch {
    return [];
  }
}

/** @param {SegmentDoc[]} list */
function writeSaved(list) {
  globalThis.localStorage?.setItem(SAVED_KEY, JSON.stringify(list));
}
