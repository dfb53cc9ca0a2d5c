// The fixed rules of the comparison: tag / attribute / RFM-only rules and `purchased` rules,
// over the values `audience-lab gen` writes.
export const RULES = [
  { name: 'tags any', rule: { tags: { any: ['discount_lover', 'KOC'] } } },
  { name: 'tags all', rule: { tags: { all: ['sensitive_skin', 'event_vip'] } } },
  { name: 'tier', rule: { attr: { column: 'tier', in: ['gold', 'diamond'] } } },
  { name: 'rfm segment', rule: { rfm: { segment: ['at_risk', 'cant_lose'] } } },
  { name: 'tags+city+stage', rule: { all: [{ tags: { any: ['student'] } }, { attr: { column: 'city', in: ['Shanghai'] } }, { lifecycle: ['active', 'dormant'] }] } },
  { name: 'frequency', rule: { metric: { name: 'frequency', gte: 3 } } },
  { name: 'bought UR 180d', rule: { purchased: { where: { brand: ['UR'] }, within_days: 180 } } },
  { name: 'skincare 2x 365d', rule: { purchased: { where: { category: ['skincare'] }, within_days: 365, min_count: 2 } } },
  { name: 'online 90d + top RFM', rule: { all: [{ purchased: { where: { channel: ['mini_program', 'app'] }, within_days: 90 } }, { rfm: { segment: ['champions', 'loyal'] } }] } },
  { name: '¥1000 365d or early', rule: { all: [{ any: [{ purchased: { within_days: 365, min_amount: 1000 } }, { tags: { any: ['early_adopter'] } }] }, { not: { lifecycle: ['churned'] } }] } },
];

// Rules with `at` nodes (SPEC §6): the builder's presets "reactivated this quarter" and
// "champions lost"; `warmUp` is another rule at the same date (its count leaves the analysis
// of the date cached), `edited` the rule with one more condition inside the `at` node.
const asleep = { lifecycle: ['dormant', 'churned'] };
const champions = { rfm: { segment: ['champions'] } };
const notMale = { not: { attr: { column: 'gender', in: ['M'] } } };
export const AT_RULES = [
  {
    name: 'reactivated this quarter',
    rule: { all: [{ at: { days_ago: 91, rule: asleep } }, { purchased: { within_days: 91 } }] },
    warmUp: { at: { days_ago: 91, rule: { lifecycle: ['active'] } } },
    edited: { all: [{ at: { days_ago: 91, rule: { all: [asleep, notMale] } } }, { purchased: { within_days: 91 } }] },
  },
  {
    name: 'champions lost',
    rule: { all: [{ at: { days_ago: 91, rule: champions } }, { not: champions }] },
    warmUp: { at: { days_ago: 91, rule: { rfm: { segment: ['loyal'] } } } },
    edited: { all: [{ at: { days_ago: 91, rule: { all: [champions, { tags: { any: ['KOC'] } }] } } }, { not: champions }] },
  },
];
