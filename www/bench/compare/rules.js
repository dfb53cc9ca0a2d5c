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
