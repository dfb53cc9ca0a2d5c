// @ts-check
/**
 * One element's state: the engine client, the loaded tables' reports, the analysis options
 * every view shares, the rule being built, the choices each view keeps across redraws, and
 * the saved segments (kept in localStorage: rules only, never member data; shared by every
 * element of the origin, as the user's library), and what a stopped engine took with it
 * (`lost`). Views listen for `change` events naming what changed.
 */

/** @typedef {import('../index.js').AudienceLab} AudienceLab */
/** @typedef {import('../index.js').LoadReport} LoadReport */
/** @typedef {import('../index.js').AnalysisOptions} AnalysisOptions */
/** @typedef {import('../index.js').Vocabulary} Vocabulary */
/** @typedef {import('../index.js').EngineLost} EngineLost */
/** @typedef {{ version: 1, name: string, rule: any }} SegmentDoc */

const SAVED_KEY = 'audience-lab.segments';

/**
 * The values each view's choices may take: a list of allowed values (the engine's words from
 * its vocabulary, the view's own words spelled here); `string`, `boolean`, `number` (finite), or
 * `strings?` (a list of strings, or null for the view's default).
 * @param {Vocabulary} vocab
 */
export function choiceRules(vocab) {
  const ids = (/** @type {{ id: string }[]} */ list) => list.map((e) => e.id);
  return /** @type {const} */ ({
    cohorts: { period: ids(vocab.cohortPeriods), by: ids(vocab.cohortBy), show: ['percent', 'counts', 'revenue'] },
    movement: { period: ['last30', 'last91', 'last365', 'custom'], by: ['stage', 'segment'], from: 'string', to: 'string' },
    clv: {
      model: ['bgnbd', 'mbgnbd'], calibration: ['latest', 'holdout90', 'holdout180', 'custom'], end: 'string',
      unit: ['days', 'weeks'], horizonDays: 'number', discount: 'number',
    },
    tags: { tags: 'strings?', show: ['counts', 'jaccard'] },
    builder: { dialect: ids(vocab.dialects), sql: 'boolean' },
    warehouse: { dialect: ids(vocab.dialects), open: 'boolean', overview: ['kpi', 'lifecycle', 'trend'] },
    export: {
      kind: ['file', 'ads'],
      format: ids(vocab.exportFormats),
      columns: 'strings?',
      splitBy: 'string',
      platform: ids(vocab.adProfiles),
      country: 'string',
    },
    campaigns: {
      name: 'string', launch: 'string', holdout: 'number', windowDays: 'number', stratify: 'string', salt: 'string',
      treatment: [...ids(vocab.exportFormats), ...vocab.adProfiles.map((p) => `ads:${p.id}`)],
      columns: 'strings?',
      readout: 'string',
    },
  });
}

/**
 * @typedef {{
 *   cohorts: { period: import('../index.js').CohortPeriod, by: import('../index.js').CohortBy, show: 'percent' | 'counts' | 'revenue' },
 *   movement: { period: 'last30' | 'last91' | 'last365' | 'custom', by: 'stage' | 'segment', from: string, to: string },
 *   clv: { model: 'bgnbd' | 'mbgnbd', calibration: 'latest' | 'holdout90' | 'holdout180' | 'custom', end: string,
 *          unit: import('../index.js').TimeUnit, horizonDays: number, discount: number },
 *   tags: { tags: string[] | null, show: 'counts' | 'jaccard' },
 *   builder: { dialect: import('../index.js').SqlDialect, sql: boolean },
 *   warehouse: { dialect: import('../index.js').SqlDialect, open: boolean, overview: 'kpi' | 'lifecycle' | 'trend' },
 *   export: { kind: 'file' | 'ads', format: import('../index.js').ExportFormat, columns: string[] | null, splitBy: string,
 *             platform: import('../index.js').AdPlatform, country: string },
 *   campaigns: { name: string, launch: string, holdout: number, windowDays: number, stratify: string, salt: string,
 *                treatment: string, columns: string[] | null, readout: string },
 * }} Choices
 */

/** @typedef {{ options: AnalysisOptions, segment: SegmentDoc } & Choices} StoreState */

/**
 * A member column as rules and exports name it (`id`: the role, or the header of a column
 * without one; `join_day` for the join date), with its header in the file and its type.
 * @typedef {{ id: string, name: string, role: string | null, type: string }} Field
 */

/**
 * The choices a view starts with: the engine's defaults, which its vocabulary lists first.
 * @param {Vocabulary} vocab
 * @returns {Choices}
 */
function defaultChoices(vocab) {
  const first = (/** @type {{ id: string }[]} */ list) => /** @type {any} */ (list[0]?.id);
  return {
    cohorts: { period: first(vocab.cohortPeriods), by: first(vocab.cohortBy), show: 'percent' },
    // The last quarter by lifecycle stage; `from` / `to` are the dates of a custom period.
    movement: { period: 'last91', by: 'stage', from: '', to: '' },
    // The engine's defaults: BG/NBD fitted up to the latest order, in days, a year at 1% a
    // month; `end` is the calibration end of a custom choice.
    clv: { model: 'bgnbd', calibration: 'latest', end: '', unit: 'days', horizonDays: 365, discount: 0.01 },
    tags: { tags: null, show: 'counts' },
    builder: { dialect: first(vocab.dialects), sql: false },
    // The report screens' "SQL for your warehouse" panel (warehouse.js): one dialect, open or
    // closed on every screen alike; the Overview's panel shows the lifecycle stages unless its
    // KPIs or its stage trend are picked.
    warehouse: { dialect: first(vocab.dialects), open: false, overview: 'lifecycle' },
    // Columns null: the member attributes a marketer usually wants, chosen when the view opens.
    export: { kind: 'file', format: first(vocab.exportFormats), columns: null, splitBy: '', platform: first(vocab.adProfiles), country: 'CN' },
    // A campaign of the current audience: '' is the default of a field (the audience's name,
    // the day after the latest order, a salt made of the name and the launch, no strata);
    // `holdout` in percent; `treatment` a format or `ads:PLATFORM`; `readout` the text of the
    // campaign file being read out (rules only, no member data).
    campaigns: { name: '', launch: '', holdout: 10, windowDays: 30, stratify: '', salt: '', treatment: first(vocab.exportFormats), columns: null, readout: '' },
  };
}

export class Store extends EventTarget {
  /**
   * @param {AudienceLab} lab
   * @param {Vocabulary} vocab the engine's words (`lab.vocabulary()`)
   * @param {AbortSignal} signal aborts when the element goes away (ends the store's listening to `lab`)
   */
  constructor(lab, vocab, signal) {
    super();
    this.lab = lab;
    this.vocab = vocab;
    /** The values each view's choices may take. */
    this.rules = choiceRules(vocab);
    /** @type {Partial<Record<import('../index.js').TableKind, LoadReport>>} */
    this.reports = {};
    /** @type {AnalysisOptions} */
    this.options = {};
    /** @type {SegmentDoc} */
    this.segment = { version: 1, name: 'untitled', rule: { all: [] } };
    /** What each view shows (period, tag set, export format …), kept across its redraws. */
    this.choices = defaultChoices(vocab);
    /** @type {SegmentDoc[]} */
    this.saved = readSaved();
    /**
     * Why the engine stopped and the tables it held that are not loaded again yet; null while
     * nothing is lost.
     * @type {EngineLost | null}
     */
    this.lost = null;
    lab.addEventListener('enginelost', (ev) => this.#engineLost(/** @type {CustomEvent<EngineLost>} */ (ev).detail), { signal });
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

  /**
   * The member attributes (for rule and export column pickers).
   * @returns {Field[]}
   */
  get memberFields() {
    return (this.reports.members?.columns ?? []).filter((c) => c.type !== 'ignored' && c.role !== 'member_id' && c.role !== 'tags')
      .map((c) => ({ id: c.role === 'join_date' ? 'join_day' : c.role ?? c.name, name: c.name, role: c.role, type: c.type }));
  }

  /**
   * The text columns of the orders (for `purchased` conditions, last-purchase columns, splits).
   * @returns {Field[]}
   */
  get orderFields() {
    return (this.reports.orders?.columns ?? []).filter((c) => c.type === 'string' && !['member_id', 'order_id', 'sku'].includes(c.role ?? ''))
      .map((c) => ({ id: c.role ?? c.name, name: c.name, role: c.role, type: c.type }));
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
    if (this.lost) {
      const tables = this.lost.tables.filter((x) => x.kind !== report.kind);
      this.lost = tables.length ? { error: this.lost.error, tables } : null;
    }
    this.changed('data');
  }

  /**
   * The engine stopped: its tables are gone, and so are their reports (every view then shows
   * what it shows with no data). `lost` lists them with any a stopped engine before took and
   * that were not loaded again since (`lab.lost()`).
   * @param {EngineLost} lost
   */
  #engineLost(lost) {
    for (const table of lost.tables) delete this.reports[table.kind];
    this.lost = { error: lost.error, tables: this.lab.lost() };
    this.changed('data');
  }

  /** @param {AnalysisOptions} options */
  setOptions(options) {
    // An option set to undefined is dropped: the engine refuses some options beside others
    // (cut points beside a method other than thresholds).
    this.options = Object.fromEntries(Object.entries({ ...this.options, ...options }).filter(([, v]) => v !== undefined));
    this.changed('options');
  }

  /** @param {SegmentDoc} segment */
  setSegment(segment) {
    this.segment = segment;
    this.changed('segment');
  }

  /**
   * The options, the rule and the view choices as plain JSON: no report, no member data.
   * @returns {StoreState}
   */
  snapshot() {
    return structuredClone({ options: this.options, segment: this.segment, ...this.choices });
  }

  /**
   * Takes a `snapshot()`: `options` and `segment` whole, each view's choices field by field.
   * Unknown keys and values a field cannot take are ignored; missing ones keep theirs. Only
   * the rule is announced (`segment`); the caller redraws for the rest.
   * @param {Record<string, any>} state
   */
  apply(state) {
    if (isObject(state.options)) this.options = structuredClone(state.options);
    const segment = state.segment;
    if (isObject(segment) && isObject(segment.rule)) {
      const name = typeof segment.name === 'string' && segment.name ? segment.name : 'untitled';
      this.setSegment({ version: 1, name, rule: structuredClone(segment.rule) });
    }
    for (const [view, fields] of Object.entries(this.rules)) {
      const given = state[view];
      if (!isObject(given)) continue;
      const mine = /** @type {Record<string, unknown>} */ (this.choices[/** @type {keyof Choices} */ (view)]);
      for (const [field, allowed] of Object.entries(fields)) {
        if (field in given && fits(allowed, given[field])) mine[field] = structuredClone(given[field]);
      }
    }
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

/** @param {unknown} x @returns {x is Record<string, any>} */
function isObject(x) {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/**
 * Whether `value` is one a choice may take (see `choiceRules`).
 * @param {string | readonly string[]} allowed
 * @param {unknown} value
 */
function fits(allowed, value) {
  if (typeof allowed !== 'string') return allowed.includes(/** @type {string} */ (value));
  if (allowed === 'boolean') return typeof value === 'boolean';
  if (allowed === 'string') return typeof value === 'string';
  if (allowed === 'number') return typeof value === 'number' && Number.isFinite(value);
  return value === null || (Array.isArray(value) && value.every((x) => typeof x === 'string'));
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
