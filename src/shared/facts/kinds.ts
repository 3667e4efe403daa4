/**
 * The kinds of fact and the IPO statuses, as the facts contract names them
 * (content/facts-contract.md). Extract, export, the API and the site all read them from here.
 */
export const FACT_KINDS = [
  'headcount',
  'workforce_change',
  'valuation',
  'funding',
  'ipo',
  'revenue',
  'net_income',
  'credit_losses',
  'users',
  'metric',
  'quote',
] as const;
export type FactKind = (typeof FACT_KINDS)[number];

export const IPO_STATUSES = ['planned', 'filed', 'paused', 'priced', 'listed', 'withdrawn'] as const;
export type IpoStatus = (typeof IPO_STATUSES)[number];

/** How well a fact is sourced, recomputed by reconciliation. */
export const CORROBORATIONS = ['single-source', 'corroborated', 'disputed'] as const;
export type Corroboration = (typeof CORROBORATIONS)[number];
