/**
 * Per-kind rules over one sentence: each number mention is classified by the nearest kind keyword
 * before it (or the noun right after it), then given direction, changePct, approximate and asOf.
 */
import type { FactKind, IpoStatus } from '../types.ts';
import { numbersIn, type NumberMention } from '../normalise/numbers.ts';
import { isApproximate, rangeHigh } from '../normalise/counts.ts';

export interface Draft {
  kind: FactKind;
  /** Offset of the value (or keyword) inside the sentence — used to pick the company. */
  pos: number;
  /** End of the value's text (after a range's high end) — where its own period phrase may follow. */
  end?: number;
  value: number | null;
  valueHigh: number | null;
  unit: string | null;
  direction: 'increase' | 'decrease' | null;
  changePct: number | null;
  approximate: boolean;
  label: string | null;
  status: IpoStatus | null;
  confidence: number;
  /** Clause bounds inside the sentence (for asOf). */
  clause?: [number, number];
  /** A baseline value ("from $47 million a year earlier"): its own period text, or a shift of the main fact's period. */
  baseline?: { snippet: string; shiftYears: number | null; of: Draft };
}

type KindRule = { kind: FactKind | 'metric'; re: RegExp; label?: (m: string) => string | null };

// Money keywords, most specific first (ties on distance go to the earlier rule).
const MONEY_RULES: KindRule[] = [
  { kind: 'metric', re: /\b(?:(?:average|monthly|annual)\s+){0,3}(?:revenue|sales) per (?:[a-z-]+\s+){0,2}?(?:employee|worker|head|customer|user|account)\b/gi, label: (m) => m.toLowerCase() },
  // Segment lines are metrics; only total revenue is revenue.
  { kind: 'metric', re: /\b(?:[a-z]+-based|transaction|subscription|interest|fee|trading|staking|services?|advertising|software|hardware|card|lending|payments?|commission|options|equities|equity|crypto|cryptocurrency|cryptocurrencies|bitcoin|other|segment|platform|seller|merchant|consumer|deposit|brokerage|licen[cs]e|wealth|insurance|banking|net interest)(?: and [a-z]+)? revenues?\b/gi, label: (m) => m.toLowerCase() },
  { kind: 'metric', re: /\b(?:annuali[sz]ed|annual)\s+(?:revenue\s+)?run[- ]rate\b|\brun[- ]rate(?:\s+revenue)?\b|\bannuali[sz]ed revenue\b/gi, label: () => 'annualized revenue run rate' },
  { kind: 'metric', re: /\bimprove\w* (?:its |the |in )?(?:profit|profitability|earnings)(?: by)?\b|\b(?:profit )?improvement(?: in (?:profit|earnings))?\b/gi, label: () => 'profit improvement' },
  // Cost lines: wages, staff and operating costs, restructuring costs.
  { kind: 'metric', re: /\b(?:(?:staff|employee|personnel)\s+)?(?:wages?|wage (?:payments|bill)|salaries|payroll|staff costs|personnel costs|compensation(?: costs)?|restructuring (?:costs|charges?))\b/gi, label: (m) => m.toLowerCase() },
  { kind: 'credit_losses', re: /\b(?:set|put|sets|puts|setting|putting)\s+aside\b/gi },
  { kind: 'credit_losses', re: /\b(?:consumer |net )?(?:credit|loan)[- ]?(?:loss(?:es)?|impairments?|provisions?)|\b(?:loan[- ]loss |credit[- ]loss |bad[- ]debt )?provisions?\b|\bimpairments?\b|\bcharge-?offs?\b|\bwrite-?offs?\b|\bbad debts?\b/gi },
  // Profit measures other than the bottom line: pre-tax, underlying, adjusted, operating, contribution, gross.
  { kind: 'metric', re: /\b(?:(?:adjusted|underlying|core|reported)\s+)?(?:operating|contribution|gross|pre-?tax|underlying|adjusted|core)\s+(?:profit|loss|losses|income|earnings|result)\b|\b(?:(?:adjusted|underlying|reported)\s+)?(?:profit|loss|earnings)\s+(?:before\s+(?:tax|taxes|interest)|from\s+operations)\b|\b(?:adjusted )?ebitda\b|\bearnings before interest[\w ,]{0,50}?amorti[sz]ation\b|\bgross margin\b|\bfree cash flow\b|\boperating (?:expenses|costs)\b/gi, label: (m) => m.toLowerCase() },
  { kind: 'metric', re: /\bnet interest income\b|\bannual recurring revenue\b|\barr\b/gi, label: (m) => m.toLowerCase() },
  { kind: 'net_income', re: /\bnet (?:loss|losses|profit|income|earnings)\b|\b(?:posted|reported|recorded|swung to|returned to|turned) an? (?:\w+ )?(?:loss|profit)\b|\b(?:loss|profit)\b|\blost\b|\bprofitab\w*/gi },
  { kind: 'revenue', re: /\b(?:gross (?:written )?premiums|total (?:net )?income|net revenues?|revenues?|sales|turnover|top line|top-line)\b/gi },
  { kind: 'valuation', re: /\bvalu(?:ed|ing|ation|ations)\b|\b(?:its|their)\s+value\b|\bvalues?\b(?=\s+(?:it|them|the)\b|\s+\S+\s+at\b)|\b(?:is|was|be|been|are|were|now|it|company|firm|startup|business)\s+worth\b|\bmarket (?:cap(?:itali[sz]ation)?|value)\b/gi },
  { kind: 'funding', re: /\b(?:total |IPO |offering |net )?proceeds\b|\bnew capital\b|\b(?:total )?offering (?:size|of)\b|\brais(?:ed|es|ing|e)\b|\bfunding\b|\bround\b|\bseries [a-h]\b|\bseed\b|\binvest(?:ed|s|ment)\b|\bbacking\b|\bsecured\b|\bfinancing\b|\bfund-?rais(?:e|ing)\b|\bcapital injection\b|\b(?:credit|debt|loan|revolving|warehouse|lending)\s+facilit(?:y|ies)\b/gi },
  {
    kind: 'metric',
    re: /\b(?:cost )?savings?\b|\bsaves?\b|\b(?:credit |loan |card )?(?:portfolio|balances|book)(?=\s+(?:grew|rose|fell|increased|declined|stood|reached|expanded|totalled|totaled|jumped|climbed|shrank|contracted))|\bin cash\b|\bcash(?: and (?:cash )?equivalents)?\b|\bprocess(?:ed|es)?\b|\blent\b|\bsends?\b|\bmoved\b(?=\s+(?:about\s+|around\s+|more than\s+)?(?:[$€£]|$))|\bpayouts\b|\bprofit improvement\b|\bgross merchandise (?:volume|value)\b|\bgmv\b|\b(?:total )?(?:transaction|payment|payments|trading|spot trading|processing) volumes?\b|\btpv\b|\bassets under management\b|\bdeposits\b|\bwithdrawals\b|\b(?:loan )?originations\b|\bloans\s+(?:totalling|totaling|worth)\b|\bfines?\b|\bpenalty\b|\bsettlement\b|\b(?:acquisition|deal|purchase(?!\s+volume))\b|\b(?:buys?|bought|acquired?|acquiring)\b|\bcosts?\b|\bspending\b|\bbudget\b|\bcustomer assets\b|\bassets\b|\bloan book\b|\bmarket\b/gi,
    label: (m) => {
      const l = m.toLowerCase();
      if (/^(?:buys?|bought|acquired?|acquiring|acquisition|deal|purchase)$/.test(l)) return 'acquisition price';
      if (/^savings?$|^cost savings?$|^saves?$/.test(l)) return 'cost savings';
      if (/^process/.test(l)) return 'payments processed';
      if (l === 'lent') return 'loans originated';
      if (/^loans\s/.test(l)) return 'loans';
      if (/^sends?$/.test(l)) return 'money sent';
      if (l === 'moved') return 'money moved';
      if (/cash/.test(l)) return 'cash';
      if (l === 'fine' || l === 'fines' || l === 'penalty') return 'fine';
      return l;
    },
  },
];

const INCREASE_RE = /\b(?:rose|rise|rises|rising|grew|grow|grows|growing|increased?|increases|increasing|climbed?|climbing|jumped?|jumping|surged?|surging|soared?|soaring|gained?|widened|widening|expanded?|more than doubled|doubled|tripled|trebled|swelled|ballooned|up|higher|boosted?|added|adding|hired|hiring|hire)\b/gi;
const DECREASE_RE = /\b(?:fell|fall|falls|falling|declined?|declining|dropped|drop|drops|dropping|decreased?|decreasing|down|shrank|shrunk|shrinking|narrowed|narrowing|slumped?|plunged?|tumbled?|slid|slipped|lower|cut|cuts|cutting|reduced?|reducing|halved|trimmed|slashed|lost|losing|eliminat\w+|lay(?:ing)? off|laid off|layoffs?|shed|shedding|axe[ds]?|axing|plummeted|sank|contracted|collapsed?)\b/gi;

const PEOPLE_NOUN = /^(?:\s*(?:(?:full-time|part-time|new|more|additional)\s+|of (?:its|their|the) )?(?:(?:customer[- ]service|human|sales|tech(?:nology)?|support|contract|permanent|corporate|global|total|back-office|frontline|call[- ]centre|call[- ]center|existing|other|remaining|current|in-house)\s+){0,2})(?<noun>employees|employee|staff(?:ers|ers)?|workers|people(?! use)|jobs|roles|positions|engineers|managers|contractors|hires|recruits|posts|redundancies|job cuts|layoffs|full-time equivalents|FTEs|personnel|headcount)\b/i;
const USER_NOUN = /^\s*(?:(?:monthly|daily|weekly|annual|active|registered|paying|retail|global|new|total|funded|verified|unique|premium|subscription|app|card|individual|business|consumer|small-business|end-customer|end-user|small|medium-sized|online|physical|merchant|transacting|more|million|and|or|,)[\s-]+){0,4}(?<noun>users|customers|consumers|policyholders|borrowers|members|clients|accounts|subscribers|cardholders|shoppers|account holders|MAUs|monthly actives|transacting actives|actives|merchants|retailers|businesses|small businesses|stores|traders|investors|people use|merchant locations)\b/i;
const METRIC_NOUN = /^\s*(?:(?:new|more|different|active|partner|retail|online|customer|customer service|support|full-time|human|full-time human|customer-service)\s+){0,2}(?<noun>agents|corridors|languages|markets|countries|partners|branches|offices|cities|conversations|chats|transactions|minutes|hours|seconds|days|weeks|months|years|products|apps|loans|cards|banks|stores|locations|brands|currencies|patents|downloads)\b/i;

const WORKFORCE_VERB = /\b(?:cut(?:s|ting)?|lay(?:ing|s)? off|laid off|layoffs?|eliminat\w*|slash\w*|shed(?:s|ding)?|axe[sd]?|axing|reduc\w*|trim\w*|downsiz\w*|let go|fir(?:e|ed|ing)|redundan\w*|job (?:cuts|losses)|hir(?:e|es|ed|ing)|recruit\w*|add(?:s|ed|ing)?|creat\w*|replac\w*|(?:the )?(?:work|equivalent) of|doing the work|do the work|attrition|left|leav(?:e|ing)|depart\w*|quit|resign\w*|shrink|shrank|shrunk|restructur\w*|headcount reduction|affect\w*|impact\w*|lose|losing|lost)\b/gi;
const HEADCOUNT_CUE_G = /\b(?:employ(?:s|ed|ing)?|headcount|workforce|staff (?:of|count)|employee count|team of|has|had|have|having|with|total of|now|currently|number of employees|global workforce)\b/gi;

const IPO_RE = /\b(?:(?<!(?:is|are|also|been|was|remains|stay|stays|peers|rivals|companies|firms|stocks|banks|lenders|groups) )listed (?:on|in)|went public|began trading|first day of trading|IPO|IPOs|initial public offering|(?:stock[- ]market |public |share |Nasdaq |NYSE |New York |US |U\.S\. |stock exchange )?listing|go(?:ing|es)? public|went public|flotation|float|stock[- ]market debut|market debut|trading debut|direct listing|(?:its|their|a|the)\s+(?:[A-Z][\w.]*\s+){0,2}debut)\b/;
const IPO_STATUS: [IpoStatus, RegExp][] = [
  // A price range is set in a public filing, whatever revived the plan.
  ['filed', /\bset(?:s|ting)?\s+(?:a|the|its)\s+price range\b/i],
  ['planned', /\b(?:reviv\w*|restart\w*|resum\w*|reopen\w*)\b/i],
  ['withdrawn', /\b(?:withdr[ae]w|withdrawn|withdrawing|scrap\w*|called off|calls off|abandon\w*|pulled|cancel\w*|dropped (?:its|the|plans))\b/i],
  ['paused', /\b(?:paus\w*|postpon\w*|delay\w*|shelv\w*|on hold|hold off|halt\w*|suspend\w*|put off|pushed back|deferr?\w*)\b/i],
  ['listed', /\b(?:began trading|begins trading|started trading|start(?:s|ed)? trading|debuted|went public|made its (?:market |trading )?debut|first day of trading|(?:shares|stock) (?:opened|jumped|soared|surged|rose|fell|closed|popped)|(?:became|now) listed|(?<!(?:is|are|also|been|was|remains) )listed (?:on|in)|rang the (?:opening )?bell)\b/i],
  ['priced', /\b(?:priced|prices its|pricing (?:its|the|of))\b/i],
  ['filed', /\b(?:filed|files|filing|confidentially submitted|submitted (?:a |its )?(?:draft|F-1|S-1|registration|prospectus)|published (?:a |its )?prospectus|made public (?:its|a) (?:filing|F-1|S-1))\b/i],
  ['planned', /\b(?:plan\w*|prepar\w*|consider\w*|reviv\w*|aim\w*|eye\w*|target\w*|intend\w*|explor\w*|mull\w*|gearing up|set to|could|would|expected to|expects to|weigh\w*|restart\w*|resum\w*|hired banks|picked banks|bankers|ahead of|upcoming|planned|potential|possible|as soon as|seeking|seeks|looking to|moving forward|push ahead|pushing ahead|proceed(?:s? with|ed with|ing with))\b/i],
];

const ESTIMATE_RE = /\b(?:analysts?|brokers?|economists?|consensus|the market)\s+(?:had\s+|have\s+|were\s+)?(?:estimated|expected|forecast|predicted|projected|pencilled in|penciled in|anticipated)\b|\b(?:consensus|average)\s+estimates?\s+(?:of|for|was|were)\b/i;

const SERIES_RE = /\b(?:Series [A-H]\d?(?:[- ]extension)?|pre-seed|seed|growth round|debt (?:financing|facility|round)|convertible (?:note|bond)s?|bridge round|venture debt)\b/i;

/**
 * Hiring the company says it will do is a plan, not a change that happened: "plans to hire 40 more",
 * "will recruit 200", "aims to add 1,000 jobs by 2027". Labelled so (isForecast reads "planned"), the
 * sheet never shows it as the latest workforce change. Hires made ("hired 200 last year") stay hiring.
 */
const PLANNED_HIRE = /\b(?:to|will|would|could|may|might|shall)\s+(?:(?:also|now|still|soon|eventually|further)\s+)?(?:hire|recruit|add|create|take on|bring on)\b[^.;]{0,50}$|\b(?:plans?|planned|planning|aims?|aiming|intends?|hopes?|expects?|targets?)\s+(?:\w+\s+){0,2}?(?:hiring|recruiting|adding|creating)\b[^.;]{0,50}$/i;
function hiringLabel(label: string, before: string): string {
  return label === 'hiring' && PLANNED_HIRE.test(before.slice(-90)) ? 'hiring planned' : label;
}

/** Borrowed money, not equity: a bank line is funding of its own kind ("credit facility"). */
const CREDIT_RE = /\b(?:(?:revolving|syndicated|warehouse|secured)\s+)?(?:credit|loan|debt|lending|warehouse)\s+(?:facility|facilities|line|lines)\b|\bterm loans?\b|\bcredit lines?\b/i;
/**
 * Money raised over the company's life, not one round: "brings the total it has raised since it was
 * founded to $212m", "has raised $80m to date", "total funding of $1bn". Read on the clause before
 * the amount (where "the total … to" sits) and the few words after it ("… in total", "… so far").
 */
const TOTAL_BEFORE = /\btotal\b(?:\s+[^\s.;]+){0,10}?\s+(?:to|of|at|is|was|now stands at|stands at|reached)\s+(?:about\s+|around\s+|roughly\s+|some\s+|more than\s+|over\s+|nearly\s+)?$|\b(?:total|cumulative|overall)\s+(?:funding|financing|investment|capital raised|raised)\b|\b(?:since (?:it was |its )?(?:founded|founding|launch|inception|start)|to date|so far|in total|all told|altogether)\b[^.;]{0,40}$/i;
const TOTAL_AFTER = /^\s*(?:\S+\s+){0,3}?(?:in total|to date|so far|altogether|all told|since (?:it was |its )?(?:founded|founding|launch|inception))\b/i;

/**
 * A raise the company is still after ("hopes to raise €200m", "is in talks to raise $500m in a Series D")
 * is not money raised: labelled planned, it never stands as the latest funding (isForecast).
 */
const PLANNED_RAISE = /\b(?:hop(?:es|ing)|plan(?:s|ning)?|aim(?:s|ing)?|seek(?:s|ing)?|look(?:s|ing) to|wants? to|in talks to|intends? to|is set to|expects? to|targets?|targeting|trying to|tries to)\b[^.;]{0,40}?\b(?:raise|raising|secure|securing)\b[^.;]{0,40}$/i;

/** The label of a funding amount that is not IPO proceeds: total raised, credit facility, or its round. */
function fundingLabel(s: string, pre: string, post: string): string | null {
  const label = fundingMeasureLabel(s, pre, post);
  if (label !== 'total raised' && PLANNED_RAISE.test(pre.slice(-100))) return label ? `${label} planned` : 'raise planned';
  return label;
}

function fundingMeasureLabel(s: string, pre: string, post: string): string | null {
  // "raised a total of £30m in a Series B round" is the round, told with "total".
  const roundAfter = /^\s*(?:\S+\s+){0,2}?(?:in|as part of|through|via)\s+(?:a|an|its|the)\s+(?:new\s+|fresh\s+)?(?:Series [A-H]|seed|pre-seed|growth|funding|financing|investment)\b/i.exec(post.slice(0, 60));
  if (roundAfter) return SERIES_RE.exec(post.slice(0, 80))?.[0] ?? SERIES_RE.exec(s)?.[0] ?? null;
  if (TOTAL_BEFORE.test(pre.slice(-120)) || TOTAL_AFTER.test(post.slice(0, 60))) return 'total raised';
  if (CREDIT_RE.test(pre.slice(-60) + post.slice(0, 40))) return 'credit facility';
  return SERIES_RE.exec(s)?.[0] ?? null;
}

/**
 * What a user count counts, when it is not plain users or customers: "merchants", "active card
 * customers", "policyholders" — so a fact sheet never shows 340,000 merchants as "users".
 */
function userLabel(phrase: string): string | null {
  const m = /\b(merchants?|retailers|businesses|small businesses|stores|policyholders|borrowers|members|subscribers|cardholders|investors|traders|account holders|accounts|funded accounts|merchant locations|(?:business|corporate|card|small-business|sme)\s+(?:users|customers|clients|accounts))\b/i.exec(phrase);
  return m ? m[1]!.toLowerCase() : null;
}

/** Sentences that are headlines, teasers or related-article lists rather than prose. */
export function isBoilerplate(s: string): boolean {
  if (/^About [\p{Lu}][\p{L}.&' -]{1,40}:/u.test(s)) return true;
  if (/^(?:read more|also read|related|see also|subscribe|sign up|newsletter|advertisement|sponsored|follow us|share this|click here|more from|recommended|most read|trending|photo:|image:|credit:|copyright|©|all rights reserved)\b/i.test(s)) return true;
  const words = s.split(/\s+/).filter((w) => /\p{L}/u.test(w));
  if (words.length < 4) return true;
  const lower = words.filter((w) => /^\p{Ll}/u.test(w)).length;
  if (lower / words.length < 0.35) return true;
  if (!/[.!?…”"’)]$/.test(s) && words.length < 12) return true;
  return false;
}

function isYearLike(m: NumberMention, s: string): boolean {
  if (m.unit !== null) return false;
  if (!/^(?:19|20)\d{2}$/.test(m.raw)) return false;
  const after = s.slice(m.end, m.end + 14);
  return !USER_NOUN.test(after) && !PEOPLE_NOUN.test(after) || /^\s*(?:to|and|-|–)\s*(?:19|20)\d{2}/.test(after) || /\b(?:in|since|by|of|from|until|during|end|early|late|mid|fiscal|FY)\s*$/i.test(s.slice(Math.max(0, m.start - 10), m.start));
}

const MONTH_NEAR = /\b(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?\s*$/;

/** Numbers that are dates, times, ages, ordinals, phone numbers or other non-facts. */
function isNoise(m: NumberMention, s: string): boolean {
  const before = s.slice(Math.max(0, m.start - 16), m.start);
  const after = s.slice(m.end, m.end + 16);
  // Multiples are not facts: "1.5 times their money", "15x revenue", "a 20-fold rise".
  if (m.unit === null && /^\s*(?:times|x\b|-fold|fold\b)/i.test(after)) return true;
  if (isYearLike(m, s)) return true;
  if (/^\s*(?:people|persons|sources|executives|bankers)\s+(?:familiar|with knowledge|briefed|close to|who)/i.test(after + s.slice(m.end + 16, m.end + 40))) return true;
  if (/\b(?:FTSE|S&P|Stoxx|STOXX|Russell|DAX|CAC|Nikkei|MSCI|OMX|OMXS)\s*$/.test(before)) return true;
  if (m.unit === null && MONTH_NEAR.test(before)) return true; // "May 14"
  if (m.unit === null && /^\s*(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)/.test(after)) return true; // "14 May"
  if (/^(?::\d|\s*(?:a\.m\.|p\.m\.|am\b|pm\b|GMT|ET|BST|CET))/i.test(after)) return true;
  if (/[:/]$/.test(before) || /^[/]/.test(after)) return true;
  if (/^(?:st|nd|rd|th)\b/.test(after)) return true;
  if (/^[- ]year[- ]old|^\s*years? old/i.test(after) || /\baged?\s*$/i.test(before)) return true;
  if (/(?:\+|\(\d{0,3}\)?\s?)$/.test(before) && m.unit === null) return true;
  if (/\b(?:Series|Q|H|FY|No\.?|number|page|section|chapter|article|version|top|Level|Tier|COVID|Covid|Rule)\s*-?$/i.test(before) && m.unit === null) return true;
  if (/^\s*(?:-|–)\s*\d/.test(after) && /\d\s*$/.test(before)) return true; // phone-like
  return false;
}

function lastMatch(re: RegExp, s: string): { index: number; end: number; text: string } | null {
  re.lastIndex = 0;
  let last: RegExpExecArray | null = null;
  for (let m = re.exec(s); m; m = re.exec(s)) last = m;
  return last ? { index: last.index, end: last.index + last[0].length, text: last[0] } : null;
}

/** The clause around a mention: bounded by ";", " — ", and sentence ends. */
function clauseBounds(s: string, start: number, end: number): [number, number] {
  let a = Math.max(s.lastIndexOf(';', start), s.lastIndexOf(' — ', start), s.lastIndexOf(' – ', start));
  a = a < 0 ? 0 : a + 1;
  const cands = [s.indexOf(';', end), s.indexOf(' — ', end), s.indexOf(' – ', end)].filter((x) => x >= 0);
  const b = cands.length ? Math.min(...cands) : s.length;
  return [a, b];
}

function directionOf(pre: string, post: string): 'increase' | 'decrease' | null {
  const inc = lastMatch(INCREASE_RE, pre);
  const dec = lastMatch(DECREASE_RE, pre);
  const best = inc && dec ? (inc.end > dec.end ? 'increase' : 'decrease') : inc ? 'increase' : dec ? 'decrease' : null;
  if (best) return best;
  if (/^[,]?\s*(?:up|an? (?:increase|rise|jump|gain)|rising|growing)\b/i.test(post)) return 'increase';
  if (/^[,]?\s*(?:down|an? (?:decrease|decline|drop|fall)|falling|declining)\b/i.test(post)) return 'decrease';
  return null;
}

/** A percent that is the change of the value: "rose 17% to $136m", "$9.4bn, down 71%", "a 17% increase". */
function changePctFor(all: NumberMention[], m: NumberMention, s: string, clauseStart: number, clauseEnd: number): NumberMention | null {
  for (const p of all) {
    if (p.unit !== 'percent' || p === m) continue;
    if (p.start < clauseStart || p.end > clauseEnd) continue;
    if (p.end <= m.start) {
      const gap = s.slice(p.end, m.start);
      if (/^\s*(?:year[- ]on[- ]year\s+|year[- ]over[- ]year\s+|from (?:a|the) (?:year earlier|previous quarter|prior quarter|previous year|prior year|same period last year)\s+)?(?:to|at)\s+(?:about\s+|around\s+|roughly\s+|nearly\s+)?$/i.test(gap)) return p;
      if (/^\s*(?:year[- ]on[- ]year\s+)?(?:increase|rise|jump|growth|decline|drop|fall|decrease)\s+(?:in\s+\w+(?:\s\w+)?\s+)?to\s+$/i.test(gap)) return p;
    } else if (p.start >= m.end) {
      const gap = s.slice(m.end, p.start);
      if (/^[^.;]{0,40}?(?:,\s*|\s)(?:up|down|an? (?:increase|rise|jump|gain|decrease|decline|drop|fall) of|a rise of|rising|falling|growth of|an? )\s*(?:by\s+)?$/i.test(gap) && !/\d/.test(gap)) return p;
    }
  }
  return null;
}

function isBaseline(s: string, m: NumberMention, clauseStart: number): boolean {
  const before = s.slice(Math.max(clauseStart, m.start - 30), m.start);
  // Where something came from is its source, not a comparison: "part of the drop came from the £29m fine".
  if (/\b(?:came|comes|come|coming|derived|derives|resulted|results|stemmed|stems|arose|arises)\s+(?:mainly\s+|mostly\s+|largely\s+|partly\s+)?from\s+(?:the\s+|a\s+|an\s+)?$/i.test(before)) return false;
  return /\b(?:from|compared (?:with|to)|versus|vs\.?|(?<!\b(?:more|less|fewer|no|greater) )than|against|a peak of|peak of|up from|down from|previous(?:ly)?|before|prior)\s+(?:(?:a|an|the)\s+)?(?:(?:peak|high|low|record|total)\s+(?:of\s+)?)?(?:about\s+|around\s+|roughly\s+|nearly\s+|some\s+|over\s+|more than\s+|less than\s+|fewer than\s+|under\s+|just (?:over|under)\s+|almost\s+|approximately\s+)?$/i.test(before);
}

export interface SentenceFacts {
  drafts: Draft[];
}

/** Applies the kind rules to one sentence. Offsets in drafts are relative to the sentence. */
export function extractKinds(s: string): Draft[] {
  const out: Draft[] = [];
  const all = numbersIn(s);
  const used = new Set<NumberMention>();
  const baselines: NumberMention[] = [];
  // Percents used as the change of another value are not facts of their own.
  const changeOf = new Map<NumberMention, NumberMention>();
  for (const m of all) {
    if (m.unit === 'percent') continue;
    const [cs, ce] = clauseBounds(s, m.start, m.end);
    const p = changePctFor(all, m, s, cs, ce);
    if (p) {
      changeOf.set(m, p);
      used.add(p);
    }
  }
  for (let i = 0; i < all.length; i++) {
    const m = all[i]!;
    if (used.has(m)) continue;
    if (isNoise(m, s)) continue;
    const [cs, ce] = clauseBounds(s, m.start, m.end);
    if (isBaseline(s, m, cs)) {
      baselines.push(m);
      continue;
    }
    const hi = rangeHigh(s, all, i);
    if (hi) used.add(hi);
    const pre = s.slice(Math.max(cs, m.start - 110), m.start);
    const postEnd = hi ? hi.end : m.end;
    const post = s.slice(postEnd, Math.min(ce, postEnd + 70));
    const approximate = isApproximate(s, m.start);
    const cp = changeOf.get(m) ?? null;
    const base: Omit<Draft, 'kind' | 'unit' | 'value'> = {
      pos: m.start,
      end: hi ? hi.end : m.end,
      valueHigh: hi ? scaleHigh(m, hi) : null,
      direction: null,
      changePct: cp ? cp.value : null,
      approximate,
      label: null,
      status: null,
      confidence: 0.7,
    };
    const value = hi ? lowWithScale(m, hi) : m.value;
    const isMoney = m.unit !== null && m.unit !== 'percent';
    if (isMoney && /^\s*(?:a|per) (?:share|unit)\b/i.test(post)) continue;
    // A superseded forecast is not a figure: "up from a previous range of $1.65bn", "compared with its earlier outlook of".
    if (isMoney && /\b(?:previous|prior|earlier|original|old|initial)\s+(?:\w+\s+)?(?:range|forecast|guidance|outlook|estimate|target)\s+(?:of\s+|was\s+)?(?:about\s+|around\s+|between\s+)?$/i.test(pre)) continue;
    if (isMoney && /\((?:about|around|roughly|approximately|or|c\.|~)?\s*$/i.test(pre)) continue;
    if (isMoney && /^\s*(?:that\s+)?analysts\b|^\s*(?:expected by|forecast by) analysts|^\s*(?:that|which)\s+(?:\S+\s+){0,3}?(?:had\s+)?(?:expected|forecast|pencilled|penciled|guided|predicted)/i.test(post)) continue;
    if (isMoney && /\b(?:short of|ahead of|shy of|below|above|beat|beating|missed|missing|including|includes)\s+(?:the\s+|an?\s+)?(?:about\s+|around\s+)?$/i.test(pre)) continue;
    // Debt being repaid is not money raised ("use the proceeds to repay a $250m term loan").
    if (isMoney && /\b(?:repay|repaying|repaid|pay down|pay off|paying down|refinanc\w*)\s+(?:\w+\s+){0,3}$/i.test(pre)) continue;
    // What analysts expected is not what the company reported ("Brokers had estimated first-half revenue of €615m").
    if (ESTIMATE_RE.test(s.slice(cs, m.start)) || /^\s*(?:expected|estimated|forecast)\b/i.test(post)) continue;
    if (isMoney) {
      const d = classifyMoney(pre, post);
      if (!d) continue;
      if (d.kind === 'valuation' && /\b(?:stake|holding|holdings|shares|options)\s+(?:\w+\s+){0,2}(?:valued|worth)\b/i.test(pre)) continue;
      let v = value;
      let direction = directionOf(s.slice(Math.max(cs, m.start - 45), m.start), post);
      if ((d.kind === 'net_income' || (d.kind === 'metric' && /\bloss\b/i.test(d.label ?? ''))) && /loss|lost/i.test(d.keyword) && !/\bprofit\b/i.test(d.keyword)) v = -Math.abs(v);
      if (d.kind === 'funding' || d.label === 'acquisition price') direction = null;
      // Money raised by selling shares in a listing is the IPO's proceeds ("plans to sell 34m shares at $35 to $37 each, raising up to $1.27bn").
      const ipoProceeds = /\b(?:sell|selling|offer|offering|issue|issuing)\s+(?:[\d.,]+\s+(?:million\s+)?)?(?:new\s+|Class [A-C]\s+|ordinary\s+)?shares\b[^.;]{0,60}\b(?:at|between)\b|\b(?:IPO|offering)\s+(?:proceeds|size)\b|\b(?:IPO|initial public offering|listing|flotation)\s+(?:raised|brought in|generated|netted)\b|\bin (?:its|the) (?:IPO|initial public offering|listing|flotation)\b/i.test(s);
      // A raise the company seeks is not the raise it made: "plans to raise $500m in its IPO", "seeking up
      // to $1.27bn" are planned proceeds, a measure apart from the final ones (never disputing them).
      const ipoPlanned = ipoProceeds && /\b(?:plan(?:s|ned|ning)?|seek(?:s|ing)?|aim(?:s|ed|ing)?|hop(?:es|ed|ing)|intend(?:s|ed|ing)?|expect(?:s|ed|ing)?|could|would|looking to|set to|up to|targets?|targeting)\b/i.test(pre);
      const label = d.kind === 'funding' ? (ipoProceeds ? (ipoPlanned ? 'IPO proceeds planned' : 'IPO proceeds') : fundingLabel(s, pre, post)) : d.label;
      out.push({ ...base, kind: d.kind, value: v, valueHigh: base.valueHigh == null ? null : d.kind === 'net_income' && v < 0 ? -base.valueHigh : base.valueHigh, unit: m.unit, direction, label, confidence: d.dist < 40 ? 0.75 : 0.6 });
      continue;
    }
    if (m.unit === 'percent') {
      // Share-price and index moves are market data, not company facts.
      if (/\b(?:shares|(?<!\b(?:a|the|its|their|market)\s)share(?!\s+of\b)|stock|share price|the price)\b[^.;]{0,60}$/i.test(pre) && /\b(?:rose|fell|jumped|slid|dropped|climbed|gained|lost|tumbled|soared|surged|slumped|down|up|trading)\b/i.test(pre + post)) continue;
      if (ESTIMATE_RE.test(s.slice(cs, m.start))) continue;
      const d = classifyPercent(s, pre, post, m);
      if (d) out.push({ ...base, ...d, value, unit: 'percent' } as Draft);
      continue;
    }
    // Counts.
    if (m.value < 1) continue;
    const pn = PEOPLE_NOUN.exec(post);
    if (pn) {
      const noun = pn.groups!.noun!.toLowerCase();
      const wv = lastMatch(WORKFORCE_VERB, pre);
      const hc = lastMatch(HEADCOUNT_CUE_G, pre);
      const staffNoun = /^(?:employees|employee|staff|staffers|workers|people|personnel|full-time equivalents|ftes|headcount)$/.test(noun);
      // …also past a closing dash: "about 2,500 positions — would be eliminated".
      const POST_VERB = /^[\s,—–]*(?:\w+\s+){0,2}?(?:(?:were|was|are|will be|would be|have been|had been|being)\s+)?(?:cut|laid off|let go|eliminated|axed|lost|affected|impacted|made redundant|hired|added|created|replaced)\b/i;
      const postVerb = POST_VERB.exec(post.slice(pn[0].length)) ?? POST_VERB.exec(s.slice(postEnd + pn[0].length, postEnd + pn[0].length + 80));
      const preNear = s.slice(Math.max(cs, m.start - 30), m.start);
      if (staffNoun && /%\s+of\s+(?:its|their|the company[’']s|the firm[’']s)\s+(?:about\s+|around\s+|roughly\s+|some\s+)?$/i.test(pre)) {
        out.push({ ...base, kind: 'headcount', value, unit: 'people', direction: null });
        continue;
      }
      const restated = wv && /%[^.;]{0,60},\s+(?:or\s+)?(?:about\s+|around\s+|roughly\s+|some\s+|nearly\s+)?$/.test(pre);
      // An office's or a team's staff is not the company's headcount ("its Berlin office, which opened with 95 employees").
      const subUnit = /\b(?:office|team|unit|division|branch|department|hub|site|centre|center|plant|subsidiary|studio)\b[^.;]{0,60}$/i.test(pre);
      if (staffNoun && hc && !restated && !subUnit && (!wv || hc.end >= wv.end || /\b(?:to|down to|up to)\s+(?:about\s+|around\s+|roughly\s+|nearly\s+|some\s+|just\s+(?:over|under)\s+|more than\s+)?$/i.test(preNear)) && !postVerb && !/\bby\s+(?:about\s+|around\s+)?$/i.test(preNear)) {
        const toForm = /\bto\s+(?:about\s+|around\s+|roughly\s+|nearly\s+|some\s+)?$/i.test(preNear);
        out.push({ ...base, kind: 'headcount', value, unit: 'people', direction: toForm ? directionOf(pre, '') : directionOf('', post.slice(pn[0].length)) });
        continue;
      }
      if (wv || postVerb || /^(?:job cuts|layoffs|redundancies|hires|recruits)$/.test(noun)) {
        const verb = (postVerb?.[0] ?? wv?.text ?? noun).toLowerCase();
        if (staffNoun && /\b(?:to|down to)\s+(?:about\s+|around\s+|roughly\s+|nearly\s+|some\s+)?$/i.test(preNear)) {
          out.push({ ...base, kind: 'headcount', value, unit: 'people', direction: directionOf(pre, '') });
          continue;
        }
        let label = 'layoffs';
        let direction: 'increase' | 'decrease' = 'decrease';
        if (/hir|recruit|add|creat|hires|recruits/.test(verb)) { label = 'hiring'; direction = 'increase'; }
        else if (/replac|work of|equivalent|do(?:ing)? the work/.test(verb)) label = 'replaced by AI';
        else if (/attrition|left|leav|depart|quit|resign/.test(verb)) label = 'attrition';
        if (label === 'replaced by AI' && !/\b(?:AI|artificial intelligence|assistant|chatbot|automation|bots?|model)\b/i.test(s)) label = 'replaced';
        out.push({ ...base, kind: 'workforce_change', value, unit: 'people', direction, label: hiringLabel(label, pre) });
        continue;
      }
      if (staffNoun && /^\s*(?:\w+\s+)?(?:worldwide|globally|across)/i.test(post.slice(pn[0].length))) {
        out.push({ ...base, kind: 'headcount', value, unit: 'people', direction: null });
      } else if (staffNoun && noun !== 'people' && /^(?:[\s(]|$)/.test(pre.slice(-1)) && /(?:^|\b(?:its|the|their|has|had|with|of|and)\s+(?:about\s+|around\s+|some\s+|roughly\s+|nearly\s+)?|[a-z][’']s\s+(?:about\s+|around\s+|some\s+|roughly\s+|nearly\s+)?)$/i.test(pre) && /[’']s\s+(?:about\s+)?$|\b(?:has|had|with)\b/i.test(pre)
        // An office's or a team's staff is not the company's headcount ("its Berlin office, which opened with 95 employees").
        && !subUnit) {
        out.push({ ...base, kind: 'headcount', value, unit: 'people', direction: null, confidence: 0.6 });
      }
      continue;
    }
    const un = USER_NOUN.exec(post);
    if (!un && !pn) {
      const preNear = s.slice(Math.max(cs, m.start - 90), m.start);
      // Noun before the number: "Active consumers rose to 21.4 million", "workforce down to around 2,200".
      const APPROX = String.raw`(?:about|around|roughly|nearly|almost|approximately|some|more than|over|just (?:over|under)|an estimated)\s+`;
      const hcPre = new RegExp(String.raw`\b(?:workforce|headcount|staff|employees|employee count|number of employees)\b(?:\s+[^\s.;]+){0,4}?\s+(?:to|of|at|was|is|stood at|stands at|totals?|totalled|reached)\s+(?:${APPROX})?$`, 'i');
      const userPre = new RegExp(String.raw`\b(?:users|customers|consumers|members|clients|accounts|subscribers|cardholders|shoppers|policyholders|merchants|borrowers|traders|investors|customer (?:numbers|base|count)|(?:client|user|member) base|number of (?:customers|users|members|clients|accounts))\b(?:\s+[^\s;]+){0,7}?\s+(?:to|of|at|was|were|is|are|reached|passed|topped|hit|surpassed|exceeded|crossed|totalled|stood at|averaged)\s+(?:${APPROX})?$`, 'i');
      const hire = /\b(?:hire|hiring|recruit|recruiting|add|adding|create|creating)\s+(?:about\s+|around\s+|roughly\s+|up to\s+|another\s+|some\s+|as many as\s+|a further\s+|an additional\s+|a further\s+)?$/i.test(preNear) && (/^\s*(?:(?:more|new|additional|further)\s+)?(?:people|staff|staffers|roles|jobs|positions|workers|employees|engineers|hires)\b/i.test(post) || /^\s*(?:more|further|or so)\b(?!\s+(?!(?:this|plus|thus|across|as|is|was)\b)[a-z]+s\b)/i.test(post));
      if (hire) {
        out.push({ ...base, kind: 'workforce_change', value, unit: 'people', direction: 'increase', label: hiringLabel('hiring', preNear) });
        continue;
      }
      // A team's size is a metric of its own, not the company's headcount: "its support team has shrunk to 180".
      const team = /\b((?:(?<![a-z-])[a-z-]+\s+){1,2}?(?:team|department|division|unit|desk))\s+(?:has\s+|had\s+)?(?:\w+\s+){0,2}?(?:to|of|at|was|is|stood at|reached)\s+(?:about\s+|around\s+|roughly\s+|some\s+)?$/i.exec(preNear.slice(-60));
      if (team && !/^\s*(?:%|people|employees|staff)/i.test(post)) {
        out.push({ ...base, kind: 'metric', value, unit: 'people', direction: directionOf(preNear, ''), label: team[1]!.toLowerCase().replace(/^(?:its|the|their|our)\s+/, ''), confidence: 0.55 });
        continue;
      }
      if (hcPre.test(preNear) && !/^\s*%/.test(post)) {
        const toForm = /\bto\s+(?:about\s+|around\s+|roughly\s+|nearly\s+|some\s+)?$/i.test(preNear);
        out.push({ ...base, kind: 'headcount', value, unit: 'people', direction: toForm ? directionOf(preNear, '') : null });
        continue;
      }
      if (userPre.test(preNear) && !/\b(?:of whom|among)\b/i.test(preNear)) {
        out.push({ ...base, kind: 'users', value, unit: 'users', direction: directionOf(preNear, ''), label: userLabel(userPre.exec(preNear)![0]) });
        continue;
      }
      if (/\bpeople\s+(?:use|used|using)\b/i.test(post.slice(0, 20)) || /^\s*(?:(?:people|of them)\s*)?(?:pay|use|log in|bank)\b/i.test(post) && /\b(?:users|customers|app|platform)\b/i.test(s)) {
        out.push({ ...base, kind: 'users', value, unit: 'users', direction: null });
        continue;
      }
    }
    // Where a product is sold is distribution, not customers: "terminals are sold at more than 1,800 retailers".
    if (un && /\b(?:sold|available|stocked|distributed|offered)\s+(?:at|in|through|by|via)\s+(?:about\s+|around\s+|more than\s+|over\s+|some\s+|nearly\s+)?$/i.test(pre)) {
      const noun = un.groups!.noun!.toLowerCase();
      out.push({ ...base, kind: 'metric', value, unit: noun, direction: null, label: `${noun} selling it`, confidence: 0.55 });
      continue;
    }
    if (un) {
      out.push({ ...base, kind: 'users', value, unit: 'users', direction: directionOf(s.slice(Math.max(cs, m.start - 40), m.start), ''), label: userLabel(un[0]) });
      continue;
    }
    // A score: "satisfaction has held at 4.6 out of 5".
    if (/^\s*out of\s+(?:5|10|100)\b/.test(post)) {
      const t = /\b((?:(?<![a-z-])[a-z-]+\s+){0,2}(?:score|scores|rating|ratings|grade))\b/i.exec(pre.slice(-60));
      out.push({ ...base, kind: 'metric', value, unit: 'points', direction: null, label: t ? t[1]!.toLowerCase() : 'score', confidence: 0.55 });
      continue;
    }
    const mn = METRIC_NOUN.exec(post);
    if (mn) {
      const noun = mn.groups!.noun!.toLowerCase();
      if (noun === 'agents' && /\b(?:replac\w*|cut|cutting|laid off|lay off|let go|fired|eliminat\w*)\b/i.test(pre) && !/\b(?:work of|equivalent)\b/i.test(pre)) {
        out.push({ ...base, kind: 'workforce_change', value, unit: 'people', direction: 'decrease', label: /replac/i.test(pre) ? 'replaced by AI' : 'layoffs' });
        continue;
      }
      if (/^(?:months|years|weeks|days)$/.test(noun) && !/\b(?:time|wait|average|resolution|payback|runway|duration|period)\b/i.test(pre.slice(-60))) continue;
      // "settles 45% of claims within 24 hours": a threshold the other figure is counted against.
      if (/^(?:minutes|hours|seconds|days|weeks|months|years)$/.test(noun) && /\b(?:within|inside|after|every|each|over|past|last|next|first)\s+(?:the\s+)?(?:about\s+)?$/i.test(pre)) continue;
      let label: string = noun;
      if (/^(?:minutes|hours|seconds|days|weeks|months)$/.test(noun)) {
        const t = /((?:average |median |mean )?(?:(?<![a-z-])[a-z-]+\s+){0,2}(?:time|wait|runway|period))\b/i.exec(pre);
        label = t ? t[1]!.toLowerCase().replace(/^(?:the|its|an?|their)\s+/, '') : `${noun}`;
      } else if (noun === 'conversations' || noun === 'chats') {
        label = `${noun} handled`;
      }
      out.push({ ...base, kind: 'metric', value, unit: noun, direction: directionOf(s.slice(Math.max(cs, m.start - 40), m.start), ''), label, confidence: 0.6 });
      continue;
    }
  }
  for (const b of baselines) {
    if (isNoise(b, s)) continue;
    let main: Draft | null = null;
    // "from 520 to 290": the value after "to" is the main fact.
    // ("from $252.7m in 2020 to $259.6m in 2021": a period phrase may stand between.)
    main = out.find((d) => !d.baseline && d.pos > b.start && /^\s*(?:(?:in|during|at the end of)\s+[^,;$€£\d]{0,4}\d{4}\s+|(?:in|during)\s+(?:the\s+)?(?:first|second|third|fourth)\s+(?:quarter|half)(?:\s+of\s+\d{4})?\s+)?to\s+(?:about\s+|around\s+|roughly\s+|nearly\s+)?(?:US)?[$€£]?\s?$/.test(s.slice(b.end, d.pos))) ?? null;
    for (const d of main ? [] : out) {
      if (d.baseline) continue;
      if (d.pos >= b.start) continue;
      const sameUnit = d.unit === b.unit || (b.unit === null && (d.unit === 'people' || d.unit === 'users' || (d.kind === 'metric' && d.unit !== 'percent' && !/^[A-Z]{3}$/.test(d.unit ?? ''))));
      // "7.5 million customers across 11 countries, up from 5 million": the comparable figure, not the nearest count.
      const comparable = d.value == null || d.value === 0 || b.value === 0 || (Math.abs(d.value) / b.value <= 20 && b.value / Math.abs(d.value) <= 20);
      if (sameUnit && (comparable || !main)) main = d;
    }
    // "Revenue rose about 4.5% from $5.77 billion a year earlier": the new level is stated elsewhere,
    // the old one here with its own relative period. It is the sentence's measure, a year before.
    if (!main && b.unit && b.unit !== 'percent' && /^\s*(?:(?:a|one|two) years? (?:earlier|ago|before)|in the (?:prior|previous)[- ]year (?:quarter|period)|in the same (?:quarter|period) (?:a|last) year)\b/i.test(s.slice(b.end, b.end + 50))) {
      const cls = classifyMoney(s.slice(Math.max(0, b.start - 110), b.start), '');
      if (cls && /^(?:revenue|net_income|credit_losses)$/.test(cls.kind) && cls.dist < 60) {
        main = { kind: cls.kind, pos: 0, value: null, valueHigh: null, unit: b.unit, direction: null, changePct: null, approximate: false, label: cls.label, status: null, confidence: 0.6 };
      }
    }
    if (!main || b.start - main.pos > 140) continue;
    if (main.value != null && main.value !== 0 && b.value !== 0 && (Math.abs(main.value) / b.value > 20 || b.value / Math.abs(main.value) > 20)) continue;
    const mainAfter = main.pos > b.start;
    if (/\bprevious (?:range|forecast|guidance|outlook|estimate)|\bexpected\b|\bestimates?\b/i.test(s.slice(Math.max(0, b.start - 30), b.start))) continue;
    // A cut has no baseline; a rate of people leaving does ("attrition rose to 14% from 11% in 2023").
    if (main.kind === 'workforce_change' && main.label !== 'attrition') continue;
    const after = s.slice(b.end, Math.min(s.length, b.end + 60)).split(/[,;]|\band\b/)[0] ?? '';
    const before = s.slice(Math.max(0, b.start - 40), b.start);
    let shiftYears: number | null = null;
    if (/\b(?:a|one) year (?:earlier|ago|before)|\bthe (?:year|quarter|period) before|\bprior[- ]year|\bthe prior year|\bthe previous year|\byear-earlier|\ba year earlier|\blast year\b/i.test(after)) shiftYears = 1;
    const two = /\btwo years (?:earlier|ago|before)/i.exec(after);
    if (two) shiftYears = 2;
    let value = b.value;
    if (main.kind === 'net_income' || (main.kind === 'metric' && main.value != null && main.value < 0)) value = /\bprofit\b[^.]{0,20}$/i.test(before) ? Math.abs(value) : /\bloss\b[^.]{0,20}$/i.test(before) ? -Math.abs(value) : main.value != null && main.value < 0 ? -Math.abs(value) : value;
    out.push({
      ...main,
      pos: b.start,
      end: b.end,
      value,
      valueHigh: null,
      unit: b.unit ?? main.unit,
      direction: null,
      changePct: null,
      approximate: isApproximate(s, b.start),
      confidence: main.confidence - 0.1,
      baseline: { snippet: shiftYears ? '' : mainAfter ? '' : after, shiftYears, of: main },
    });
  }
  for (const d of out) d.clause = clauseAround(s, d.pos);
  return out;
}

const CLAUSE_SPLIT_RE = /;\s|,\s(?:and|while|but|as|whereas|which|of whom|although|before|after|when)\s|\s[—–]\s|,\s(?=(?:it|the company|the bank|the firm)\s+(?:said|says|added))/g;

/** The clause around offset `pos` in `s`. */
export function clauseAround(s: string, pos: number): [number, number] {
  let a = 0;
  let b = s.length;
  CLAUSE_SPLIT_RE.lastIndex = 0;
  for (let m = CLAUSE_SPLIT_RE.exec(s); m; m = CLAUSE_SPLIT_RE.exec(s)) {
    if (m.index + m[0].length <= pos) a = m.index + m[0].length;
    else if (m.index >= pos) { b = m.index; break; }
  }
  return [a, b];
}

function lowWithScale(m: NumberMention, hi: NumberMention): number {
  // "2 to 3 million" — the low end takes the high end's scale.
  if (m.value < 1000 && hi.value >= 1000 && !/(?:illion|bn|mn|\d[mbk]\b|thousand)/i.test(m.raw)) {
    const scale = /trillion|tn/i.test(hi.raw) ? 1e12 : /billion|bn|\db\b/i.test(hi.raw) ? 1e9 : /million|mn|\dm\b/i.test(hi.raw) ? 1e6 : /thousand|\dk\b/i.test(hi.raw) ? 1e3 : 1;
    return m.value * scale;
  }
  return m.value;
}
function scaleHigh(_m: NumberMention, hi: NumberMention): number {
  return hi.value;
}

const POST_MATCHERS = new Map<KindRule, { post: RegExp; kw: RegExp }>();
/** The rule's keyword right after a figure ("$2bn in deposits"), compiled once per rule. */
function postMatcher(r: KindRule): RegExp {
  return matchersOf(r).post;
}
function keywordMatcher(r: KindRule): RegExp {
  return matchersOf(r).kw;
}
function matchersOf(r: KindRule): { post: RegExp; kw: RegExp } {
  let m = POST_MATCHERS.get(r);
  if (!m) {
    // The words between may not start the next item: "$54bn and net revenue $231m" is not revenue of $54bn.
    // "in a 2022 funding round" after a figure names the occasion, not the measure ("$2bn in deposits" does).
    m = { post: new RegExp(`^\\s*(?:in\\s+(?!(?:a|an|its|the|their|his|her)\\b)|of\\s+|worth of\\s+)?(?:(?!(?:and|or|but|while|whereas|with|in)\\b)[\\w-]+\\s+){0,2}?(?:${r.re.source})`, 'i'), kw: new RegExp(r.re.source, 'i') };
    POST_MATCHERS.set(r, m);
  }
  return m;
}

function classifyMoney(rawPre: string, post: string): { kind: FactKind; label: string | null; keyword: string; dist: number } | null {
  // A relative clause between the measure and its figure is an aside: "Total revenue, which includes
  // interest earned on customer cash, declined 18% to $402m" is revenue, not cash.
  const pre = rawPre.replace(/,\s+(?:which|who|that)\s[^,;]{0,120},/gi, ' ');
  let best: { kind: FactKind; label: string | null; keyword: string; dist: number } | null = null;
  for (const r of MONEY_RULES) {
    const lm = lastMatch(r.re, pre);
    if (lm) {
      const dist = pre.length - lm.end;
      if (!best || dist < best.dist) best = { kind: r.kind as FactKind, label: r.label ? r.label(lm.text) : null, keyword: lm.text, dist };
    }
    r.re.lastIndex = 0;
    const pm = postMatcher(r).exec(post);
    if (pm) {
      const kw = keywordMatcher(r).exec(pm[0])![0];
      // Measured to where the keyword starts, so a longer, more specific phrase after the figure
      // ("annualized revenue run rate") beats the generic word inside it ("revenue").
      const dist = pm[0].length - kw.length;
      const label = r.label ? r.label(kw) : null;
      // "for £42m in cash and shares": after a purchase, "in cash" is how it is paid, not what is measured.
      if (label === 'cash' && /\b(?:buy|buys|bought|acquir\w*|purchas\w*|pay|pays|paid|deal|takeover)\b/i.test(pre)) continue;
      // "raise £2bn at a valuation of £9bn": the valuation is the next figure's, not this one's.
      if (r.kind === 'valuation' && /^\s*at an?\s+(?:[\w-]+\s+)?valuation\b/i.test(post)) continue;
      if (!best || dist < best.dist) best = { kind: r.kind as FactKind, label, keyword: kw, dist };
    }
  }
  if (!best || best.dist > 90) return null;
  // "market" alone is too vague as a label.
  if (best.kind === 'metric' && best.label === 'market') return null;
  // An acquisition price is the target's valuation (the contract's convention).
  if (best.kind === 'metric' && best.label === 'acquisition price') return { ...best, kind: 'valuation' };
  return best;
}

const PEOPLE_WORDS = /^\s*(?:of\s+)?(?:(?:its|the|their|our|his|her)\s*)?(?:[\d,.]+\s+)?(?:(?:global|total|entire|overall|corporate|current|remaining|full-time|permanent)\s+){0,2}(?:workforce|staff|employees|headcount|jobs|roles|positions|workers|people|team|personnel)\b/i;

function classifyPercent(s: string, pre: string, post: string, m: NumberMention): Partial<Draft> | null {
  if (/\b(?:central bank|policy rate|benchmark rate|base rate|inflation|GDP|unemployment|interest rates|bond yields?|treasury)\b/i.test(pre.slice(-80))) return null;
  // "laid off 931 employees — roughly 8% of its workforce": the verb sits before the dash.
  const wv = lastMatch(WORKFORCE_VERB, pre) ?? (PEOPLE_WORDS.test(post) ? lastMatch(WORKFORCE_VERB, s.slice(Math.max(0, m.start - 110), m.start)) : null);
  // "Staff attrition rose to 14%": a share of people leaving.
  if (/\b(?:staff |employee |workforce )?(?:attrition|turnover)(?:\s+rate)?\s+(?:\w+\s+){0,3}$/i.test(pre.slice(-50)) && !/\b(?:customer|client)\s+(?:attrition|turnover)/i.test(pre.slice(-50))) {
    return { kind: 'workforce_change', direction: null, label: 'attrition' };
  }
  const aboutPeople = PEOPLE_WORDS.test(post) || /\b(?:workforce|staff|headcount|employees)\s+(?:\w+\s+){0,2}by\s+(?:about\s+|around\s+|roughly\s+|nearly\s+)?$/i.test(pre);
  // The verb may follow a dashed aside: "another 9% of the workforce — about 2,500 positions — would be eliminated".
  const tail = s.slice(m.end, m.end + 160).replace(/\s[—–]\s[^—–]{1,60}\s[—–]\s/, ' ');
  const postVerb = /\b(?:leave|depart|go|be cut|be laid off|be let go|attrition|be made redundant|be eliminated|be axed)\b/i.exec(post.slice(0, 60)) ?? /^[^.;]{0,60}?\b(?:would|will|are to|is to|set to)\s+be\s+(?:eliminated|cut|axed|laid off|made redundant)\b/i.exec(tail);
  if (aboutPeople && (wv || postVerb || /\b(?:workforce|headcount|staff)\b/i.test(pre))) {
    const verb = (wv?.text ?? postVerb?.[0] ?? '').toLowerCase();
    let label = 'layoffs';
    let direction: 'increase' | 'decrease' = 'decrease';
    if (/hir|recruit|add|creat|grow|increas/.test(verb)) { label = 'hiring'; direction = 'increase'; }
    else if (/attrition|left|leav|depart|quit|resign/.test(verb)) label = 'attrition';
    else if (/shrink|shrank|shrunk/.test(verb) || !verb) label = 'headcount reduction';
    return { kind: 'workforce_change', direction, label: hiringLabel(label, pre) };
  }
  // Shares: "two-thirds of customer service chats", "8% of assets on the platform".
  const of = /^\s+of\s+(?:(?:all|its|their|the|our|total|those|these)\s+(?:(?:the|its|their|our)\s+)?|\p{Lu}[\p{L}.&-]*(?:\s\p{Lu}[\p{L}.&-]*)?[’']s\s+)?((?:(?!(?:and|or|in|on|at|to|by|with|that|which|who|from|for|than|use|uses|were|was|is|are|had|have|has|held|its|it|the|still|now|come|comes|came|go|goes|went)\b)[\p{L}-]+(?:\s+|$|(?=[,;:.)]))){1,4})/u.exec(post);
  if (of && of[1]!.trim() && !/^(?:the|a|an|its|it|them|this|that|those|these|which|whom|total|value|worth|price|amount|sum|money|cash|proceeds)$/i.test(of[1]!.trim()) && !/\b(?:owns|holds|owned|held|stake)\b/i.test(pre.slice(-40))) {
    const noun = of[1]!.trim().toLowerCase();
    if (/^(?:workforce|staff|employees|headcount|jobs|roles|positions|workers)$/.test(noun)) return null;
    if (/\b(?:shares|stock|stake|equity|options)\b/.test(noun)) return null;
    return { kind: 'metric', label: `share of ${noun}`, direction: null, confidence: 0.55 };
  }
  const kw = /\b((?:(?<![a-z0-9-])[a-z0-9-]+\s+){0,3}?(?:ratio|rate|rates|margin|share|yield|retention|churn|penetration|stake|discount|fees?|apr|take rate|market share))\b/gi;
  // An aside between a measure and its figure explains it ("Its loss rate, measured as losses as a
  // share of volume, rose to 1.6%"): the measure is the one before the aside.
  const bare = pre.replace(/,\s+(?:which|that|measured|defined|calculated|expressed)\s[^,;]{0,120},/gi, ' ');
  const lm = lastMatch(kw, bare);
  if (lm && bare.length - lm.end < 80 && !/\b(?:owns|holds|owned|held)\b/i.test(pre.slice(-40))) {
    const label = lm.text.toLowerCase().replace(/^(?:s|the|its|their|our|a|an|and|of|whose|which)\s+/g, '').trim();
    return { kind: 'metric', label, direction: directionOf(pre.slice(-40), post), confidence: 0.55 };
  }
  const pk = /^\s*(?:(?:market )?share|margin|stake|take rate|default rate|discount|interest)\b/i.exec(post);
  if (pk) return { kind: 'metric', label: pk[0].trim().toLowerCase(), direction: null, confidence: 0.55 };
  return null;
}

/** IPO status from a sentence, or null when the sentence is not about an IPO event. */
export function ipoStatus(s: string): { status: IpoStatus; pos: number } | null {
  const m = IPO_RE.exec(s);
  if (!m) return null;
  if (/\b(?:since|after) (?:its|the|their) (?:IPO|listing)\b/i.test(s) && !/\b(?:paus|postpon|withdr|filed|plan)/i.test(s)) return null;
  if (/\b\d+\s+(?:[\w-]+\s+){0,2}(?:companies|firms|startups|fintechs|lenders|banks)\s+(?:have\s+|had\s+)?(?:listed|gone public|filed)\b/i.test(s)) return null;
  if (/\bdeclined to (?:say|comment)\b|\bno (?:\w+ )?plans?\b|\bnot (?:plan|planning|consider|considering)\b|\bruled out\b/i.test(s)) return null;
  for (const [status, re] of IPO_STATUS) if (re.test(s)) return { status, pos: m.index };
  return null;
}

/** Every distinct IPO event in a sentence ("first filed in March, then paused in April" → filed, paused). */
export function ipoStatuses(s: string): { status: IpoStatus; pos: number; verb: number }[] {
  const first = ipoStatus(s);
  if (!first) return [];
  const found: { status: IpoStatus; verb: number }[] = [];
  for (const [status, re] of IPO_STATUS) {
    const m = re.exec(s);
    if (m && !found.some((f) => f.status === status)) found.push({ status, verb: m.index });
  }
  const events = found.filter((x) => x.status !== 'planned');
  // "revive/restart" is planning even when the sentence also recalls the pause.
  if (first.status === 'planned' || !events.length) {
    const verb = found.find((f) => f.status === first.status)?.verb ?? first.pos;
    return [{ status: first.status, pos: first.pos, verb }];
  }
  // In the order the sentence tells them: "first filed in March, then paused in April".
  return events.sort((a, b) => a.verb - b.verb).map((e) => ({ status: e.status, pos: first.pos, verb: e.verb }));
}

export { SERIES_RE };
