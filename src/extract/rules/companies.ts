/**
 * Company recognition and resolution: registry aliases, companies discovered from text cues
 * ("X, a London-based neobank", "rival X", "X Inc"), the article's subject, and which company a
 * number in a sentence belongs to.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Sentence } from './sentences.ts';

export interface RegistryCompany {
  slug: string;
  name: string;
  aliases: string[];
  ticker: string | null;
}

export interface CompanyRegistry {
  companies: RegistryCompany[];
  /** Alias (as written) → company. */
  byAlias: Map<string, RegistryCompany>;
  /** One regex matching any alias, longest first. */
  matcher: RegExp | null;
}

export const DEFAULT_REGISTRY_PATH = fileURLToPath(new URL('../../../content/companies.json', import.meta.url));

/** Names that are also ordinary words: only trusted away from the start of a sentence or with a cue. */
const AMBIGUOUS = new Set(['Block', 'Square', 'Wise', 'Ramp', 'Zip', 'Chime', 'Toast', 'Circle', 'Mercury', 'Dave', 'Chase', 'Plaid', 'Tink', 'Starling', 'Apple', 'Kraken', 'Visa', 'Stripe', 'Affirm', 'Goldman']);

const SPEECH_AFTER = ['said', 'says', 'wrote', 'writes', 'told', 'tells', 'added', 'explained', 'posted', 'noted'];
const FOUNDER_BEFORE = ['co-founded', 'cofounded', 'founded', 'started', 'run', 'headed'];

/** Whether `phrase` stands in `text` as whole words (plain string search: no pattern built from data). */
function hasWord(text: string, phrase: string): boolean {
  for (let i = text.indexOf(phrase); i >= 0; i = text.indexOf(phrase, i + 1)) {
    const before = i > 0 ? text[i - 1]! : ' ';
    const after = text[i + phrase.length] ?? ' ';
    if (!/[\p{L}\p{N}]/u.test(before) && !/[\p{L}\p{N}]/u.test(after)) return true;
  }
  return false;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function buildRegistry(companies: RegistryCompany[]): CompanyRegistry {
  const byAlias = new Map<string, RegistryCompany>();
  for (const c of companies) {
    for (const a of [c.name, ...c.aliases]) if (a) byAlias.set(a, c);
  }
  const aliases = [...byAlias.keys()].sort((a, b) => b.length - a.length);
  const matcher = aliases.length
    ? new RegExp(`(?<![\\p{L}\\p{N}])(?:${aliases.map(escapeRe).join('|')})(?![\\p{L}\\p{N}]|\\.[\\p{L}])`, 'gu')
    : null;
  return { companies, byAlias, matcher };
}

let cached: CompanyRegistry | null = null;
/** Loads content/companies.json (or `path`). The default registry is cached. */
export function loadCompanyRegistry(path?: string): CompanyRegistry {
  if (!path && cached) return cached;
  const raw = JSON.parse(readFileSync(path ?? DEFAULT_REGISTRY_PATH, 'utf8')) as RegistryCompany[];
  const reg = buildRegistry(raw);
  if (!path) cached = reg;
  return reg;
}

export interface CompanyMention {
  /** Key used to group mentions: registry slug or the discovered name. */
  key: string;
  name: string;
  slug: string | null;
  start: number;
  end: number;
}

// A capitalised token, or a camel-case one that starts lower-case ("eToro", "iZettle").
const NAME_TOKEN = String.raw`[\p{Lu}][\p{L}\p{N}&'’.\-]*[\p{L}\p{N}]|[\p{Lu}]|\p{Ll}\p{Lu}[\p{L}\p{N}]+`;
const NAME = String.raw`(?:${NAME_TOKEN})(?:\s(?:${NAME_TOKEN})){0,4}`;
// A name starts where a word starts: not after a letter, digit or any other character a name token
// can contain. Unanchored searches that lack this retry NAME inside a long run such as "A-A-A-…" at
// every letter, each try rescanning the run: quadratic.
const NAME_START = String.raw`(?<![\p{L}\p{N}&'’.\-])`;
const CUE_NOUN = String.raw`(?:fintech|neobank|bank|startup|start-up|lender|company|firm|platform|exchange|provider|processor|insurer|insurtech|broker|brokerage|operator|app|unicorn|challenger|marketplace|outsourcer|specialist|giant|group|business|wallet|retailer|conglomerate|subsidiary|maker|developer|player)`;
const APPOSITIVE_RE = new RegExp(String.raw`${NAME_START}(?<name>${NAME}),\s+(?:(?:a|an)\s+(?:(?!(?:at|of|for|with|in|who|that|which|whose|analyst|director|executive|head|partner|economist|officer|founder|consultant|adviser|advisor|investor|professor|lawyer|strategist|banker|researcher)\b)[\p{L}\d’'\-]+\s+){0,5}?|(?:the|another|one|its)\s+(?:(?!(?:at|of|for|with|in|who|that|which|whose|analyst|director|executive|head|partner|economist|officer|founder|consultant|adviser|advisor|investor|professor|lawyer|strategist|banker|researcher)\b)[\p{L}\d’'\-]+\s+){1,5}?)${CUE_NOUN}s?\b`, 'gu');
const PRECUE_RE = new RegExp(String.raw`\b(?:(?:Britain|Sweden|Germany|France|Brazil|India|Europe|America|China|Japan|Norway|Denmark|Finland|Spain|Italy|Australia|Canada|Singapore|Nigeria|Kenya|Mexico|Ireland|Switzerland|Poland|Israel|Africa|Asia)[’']s|[Rr]ival|[Rr]ivals|[Cc]ompetitor|[Pp]eer|${CUE_NOUN}|(?<![\p{L}])[\p{L}]+-based)\s+(?<name>${NAME})`, 'gu');
const SUFFIX_RE = new RegExp(String.raw`${NAME_START}(?:(?<name>${NAME})\s(?:Inc|Ltd|AB|plc|PLC|GmbH|SA|NV|Corp|LLC)\b\.?|(?<name2>${NAME}\s(?:Holdings|Technologies|Bank|Payments|Pay|Financial|Analytics|Labs|Capital|Partners|Ventures|Research|Securities|Markets|Wealth)))\b`, 'gu');
const STOP = new Set(
  (
    'The A An It He She They We I This That These Those In On At But And Or For Of By As To With From If When While After Before ' +
    // Headlines open with a question or a lead-in word: "What Fernpay’s float tells us", "Inside Tillwise’s pivot".
    'What Why How Who Where Which Inside Can Could Will Would Is Are Does Do Did Should ' +
    'Chief CEO CFO COO Mr Ms Mrs Dr Its Their Our His Her Shares Monday Tuesday Wednesday Thursday Friday Saturday Sunday ' +
    'January February March April May June July August September October November December Series US U.S. UK EU Europe Asia ' +
    'Swedish British American German French Nasdaq NYSE AI IPO Q1 Q2 Q3 Q4 New Last Next First Second Third Today Yesterday However According ' +
    'BNPL Fintech FinTech Crypto Bitcoin Ethereum Stockholm London Berlin Paris Amsterdam ' +
    'Meanwhile Still Also Some Many Most Such One Two Three Analysts Investors Customers Revenue Sales'
  ).split(' '),
);

function cleanName(raw: string): string | null {
  let tokens = raw.trim().split(/\s+/);
  // "Maria Okafor’s Tillwise": the possessor is not part of the name.
  const poss = tokens.findLastIndex((t, i) => i < tokens.length - 1 && /[’']s$/.test(t));
  if (poss >= 0) tokens = tokens.slice(poss + 1);
  while (tokens.length && STOP.has(tokens[0]!.replace(/[’']s$/, ''))) tokens.shift();
  if (!tokens.length || tokens.length > 4) return null;
  let name = tokens.join(' ').replace(/[’']s$/, '');
  if (STOP.has(name) || name.length < 2) return null;
  if (tokens.every((t) => /^(?:Bank|Pay|Payments|Wealth|Financial|Finance|Capital|Group|Holdings|Technologies|Labs|Money|Credit|Exchange|Markets|Securities|Research|Partners|Ventures|Analytics|Commission|Officer|Executive|Stock|Fund|Vision)$/.test(t))) return null;
  if (/\b(?:Officer|Commission|Exchange Commission|Stock Exchange|Fund)$/.test(name)) return null;
  if (/^(?:The|A|An)\s/.test(name)) return null;
  return name;
}

/** Companies named in the text that are not in the registry, found through company cues. */
export function discoverCompanies(text: string, title: string | null, registry: CompanyRegistry): Set<string> {
  const found = new Set<string>();
  const consider = (raw: string | undefined) => {
    if (!raw) return;
    const n = cleanName(raw);
    if (!n || registry.byAlias.has(n)) return;
    found.add(n);
  };
  for (const re of [APPOSITIVE_RE, PRECUE_RE, SUFFIX_RE]) {
    for (const src of title ? [text, title] : [text]) {
      re.lastIndex = 0;
      for (let m = re.exec(src); m; m = re.exec(src)) consider(m.groups!.name ?? m.groups!.name2);
    }
  }
  // A camel-case brand the text uses more than once ("eToro", "iZettle") is a company.
  const camel = new Map<string, number>();
  for (const m of text.matchAll(/(?<![\p{L}\p{N}])\p{Ll}\p{Lu}[\p{L}\p{N}]{2,}(?![\p{L}\p{N}])/gu)) camel.set(m[0], (camel.get(m[0]) ?? 0) + 1);
  for (const [n, c] of camel) if (c >= 2 && !registry.byAlias.has(n)) found.add(n);
  // The title's leading name, when the text repeats it: "Tillpoint raises $80m in Series C".
  if (title) {
    const m = new RegExp(String.raw`^(?:[\p{Ll}\p{Lu}][\p{Ll}-]+\s+){0,3}?(?<name>${NAME})(?:[’']s)?\s+\p{Ll}`, 'u').exec(title);
    const cands: string[] = [];
    if (m?.groups?.name) cands.push(m.groups.name);
    // Possessives anywhere in the title: "…: Remitflow’s founder on the pivot".
    const pos = new RegExp(String.raw`${NAME_START}(?<name>${NAME})[’']s\s+\p{Ll}`, 'gu');
    for (let pm = pos.exec(title); pm; pm = pos.exec(title)) cands.push(pm.groups!.name!);
    for (const c of cands) {
      const n = cleanName(c);
      if (n && !registry.byAlias.has(n) && countOccurrences(text, n) + (n.includes(' ') ? countOccurrences(text, n.split(' ')[0]!) : 0) >= 2) found.add(n);
    }
  }
  return found;
}

function countOccurrences(text: string, s: string): number {
  let c = 0;
  for (let i = text.indexOf(s); i >= 0; i = text.indexOf(s, i + s.length)) c++;
  return c;
}

/** All company mentions in `text` (registry aliases + discovered names), sorted by offset. */
export function findMentions(text: string, registry: CompanyRegistry, discovered: Set<string>): CompanyMention[] {
  const out: CompanyMention[] = [];
  if (registry.matcher) {
    registry.matcher.lastIndex = 0;
    const raw: { m: string; start: number; end: number; trusted: boolean }[] = [];
    const trustedAliases = new Set<string>();
    for (let m = registry.matcher.exec(text); m; m = registry.matcher.exec(text)) {
      const trusted = !AMBIGUOUS.has(m[0]) || trustAmbiguous(text, m.index, m.index + m[0].length);
      if (trusted) trustedAliases.add(m[0]);
      raw.push({ m: m[0], start: m.index, end: m.index + m[0].length, trusted });
    }
    for (const r of raw) {
      // An ambiguous name ("Ramp", "Block") counts everywhere once the text uses it unmistakably as a company.
      if (!r.trusted && !trustedAliases.has(r.m)) continue;
      const c = registry.byAlias.get(r.m)!;
      out.push({ key: c.slug, name: c.name, slug: c.slug, start: r.start, end: r.end });
    }
  }
  if (discovered.size) {
    const re = new RegExp(`(?<![\\p{L}\\p{N}])(?:${[...discovered].sort((a, b) => b.length - a.length).map(escapeRe).join('|')})(?![\\p{L}\\p{N}])`, 'gu');
    for (let m = re.exec(text); m; m = re.exec(text)) {
      if (out.some((o) => o.start < m!.index + m![0].length && m!.index < o.end)) continue;
      out.push({ key: m[0], name: m[0], slug: null, start: m.index, end: m.index + m[0].length });
    }
  }
  return out.sort((a, b) => a.start - b.start);
}

function trustAmbiguous(text: string, start: number, end: number): boolean {
  const after = text.slice(end, end + 24);
  if (/^(?:[’']s\b|,? Inc\b|,\s+(?:the|a|an|which|who|whose)\b|\s+(?:itself|said|says|reported|posted|announced|raised|has|had|is|was|will|plans|shares|CEO|co-founder|founder|chief|spokesperson)\b)/.test(after)) return true;
  const before = text.slice(Math.max(0, start - 30), start);
  if (/(?:^|[.!?]\s+|\n\s*|[“"]\s*)$/.test(before)) return false; // sentence-initial
  return /\b(?:rival|rivals|competitor|like|such as|including|and|at|from|by|of|to|with|fintech|startup|lender|bank|company|firm|platform)\s+$/i.test(before) || /,\s*$/.test(before) || /[’']s\b/.test(after);
}

export interface CompanyContext {
  mentions: CompanyMention[];
  /** The article's subject (key), or null. */
  subject: CompanyMention | null;
  counts: Map<string, number>;
  text?: string;
}

/** Chooses the subject: most mentions, the title counts triple, the lead sentence double. */
export function analyseCompanies(text: string, title: string | null, registry: CompanyRegistry, sentences: Sentence[]): CompanyContext {
  const discovered = discoverCompanies(text, title, registry);
  // People are not companies: "chief executive Amara Nwosu, the company…".
  for (const n of [...discovered]) {
    if (new RegExp(String.raw`\b(?:executive|founder|CEO|CFO|officer|analyst|president|chairman|chairwoman|director|partner|economist|consultant|spokesperson|Mr\.?|Ms\.?|Mrs\.?|Dr\.?)\s+${escapeRe(n)}\b`, 'u').test(text)) discovered.delete(n);
  }
  // Nor is anyone who speaks, writes or founded something: "Jack Dorsey said…", "co-founded by Jack Dorsey".
  for (const n of [...discovered]) {
    const toks = n.split(' ');
    // Companies speak too ("Fenna said"): only a first-and-last-name shape is taken for a person.
    if (toks.length !== 2 || GENERIC_SUFFIX.test(toks[1]!) || !toks.every((t) => /^\p{Lu}\p{Ll}+$/u.test(t))) continue;
    if (SPEECH_AFTER.some((v) => hasWord(text, `${n} ${v}`)) || FOUNDER_BEFORE.some((v) => hasWord(text, `${v} by ${n}`))) discovered.delete(n);
  }
  const canon = canonicalNames(discovered, text);
  for (const short of canon.keys()) discovered.add(short);
  // A short form of a registry name ("Checkout" for "Checkout.com") is that company, not a new one.
  const shortOf = new Map<string, RegistryCompany>();
  for (const n of [...discovered]) {
    const c = registry.companies.find((rc) => [rc.name, ...rc.aliases].some((a) => a.length > n.length && a.startsWith(n) && /^[.\s-]/.test(a.slice(n.length))));
    if (c && hasWord(text, c.name)) shortOf.set(n, c);
  }
  const mentions = findMentions(text, registry, discovered);
  for (const m of mentions) {
    const c = m.slug == null ? shortOf.get(m.key) : undefined;
    if (c) { m.key = c.slug; m.name = c.name; m.slug = c.slug; }
  }
  for (const m of mentions) {
    const c = canon.get(m.key);
    if (c) { m.key = c; m.name = c; }
  }
  const counts = new Map<string, number>();
  const first = new Map<string, CompanyMention>();
  const leadEnd = sentences[0]?.end ?? 0;
  for (const m of mentions) {
    // Investors and sources ("led by Thrive Capital", "according to data from X") are not what the article is about.
    if (/\b(?:led by|co-led by|backed by|including|include|includes|according to|data from|participation from|investors?)\s*$/i.test(text.slice(Math.max(0, m.start - 30), m.start))) continue;
    counts.set(m.key, (counts.get(m.key) ?? 0) + (m.start < leadEnd ? 2 : 1));
    if (!first.has(m.key)) first.set(m.key, m);
  }
  if (title) {
    for (const m of findMentions(title, registry, discovered)) {
      const c = canon.get(m.key);
      if (c) { m.key = c; m.name = c; }
      counts.set(m.key, (counts.get(m.key) ?? 0) + 3);
      if (!first.has(m.key)) first.set(m.key, m);
    }
  }
  let subject: CompanyMention | null = null;
  let best = 0;
  for (const [k, c] of counts) {
    if (c > best || (c === best && subject && first.get(k)!.start < subject.start)) {
      best = c;
      subject = first.get(k)!;
    }
  }
  if (best < 2) subject = null;
  return { mentions, subject, counts, text };
}

const ANAPHOR_RE = /^(?:It|Its|The (?:[\p{L}-]+\s+){0,3}?(?:company|firm|group|bank|startup|start-up|lender|exchange|fintech|business|platform|provider|neobank|insurer|app|broker|brokerage|processor)(?:[’']s)?)\b/u;

/**
 * The company a number at `pos` in `sentence` belongs to: the nearest company named before it in the
 * sentence (or the first after), else a company carried over from the previous sentence of the
 * paragraph when the sentence opens with "It"/"The company", else the subject.
 */
export function companyFor(ctx: CompanyContext, sentences: Sentence[], sentence: Sentence, pos: number): CompanyMention | null {
  const inside = mentionsIn(ctx.mentions, sentence.start, sentence.end).filter((m) => !isSourceMention(sentence, m));
  if (inside.length) {
    let before: CompanyMention | null = null;
    for (const m of inside) if (m.start <= pos) before = m;
    // "…through Apple Pay and Google Pay, and its app is available in 19 languages": a new clause
    // whose subject is "it"/"its" is about the antecedent, not the last name before it.
    if (before && /(?:,\s*|\b)(?:and|but|while|whereas)\s+(?:its|it)\b/i.test(sentence.text.slice(before.end - sentence.start, pos - sentence.start))) {
      return resolveAnaphor(ctx, sentences, sentence, 'It') ?? ctx.subject ?? before;
    }
    if (before) return before;
    // A sentence that opens with "It"/"The Israeli trading platform" is about that antecedent, not a
    // company named later in passing ("…far below the $10.4bn at which Robinhood…").
    const opener = ANAPHOR_RE.exec(sentence.text);
    if (opener && inside[0]!.start - sentence.start > opener[0].length) {
      const resolved = resolveAnaphor(ctx, sentences, sentence, opener[0]);
      if (resolved) return resolved;
    }
    // Only a company named after the number: it owns the number when it is the one reporting it.
    const firstAfter = inside[0]!;
    const tail = sentence.text.slice(firstAfter.end - sentence.start, firstAfter.end - sentence.start + 40);
    if (/^\s*(?:[’']s\b|(?:,\s*)?(?:said|says|reported|reports|posted|announced|told|added|disclosed|estimated|expects|expected))/.test(tail) || firstAfter.key === ctx.subject?.key) return firstAfter;
    const lead = sentence.text.slice(0, pos - sentence.start);
    if (!/\b(?:it|its|the (?:company|firm|group|bank|startup|lender))\b/i.test(lead) && !ctx.subject) return firstAfter;
  }
  const am = ANAPHOR_RE.exec(sentence.text);
  if (am) return resolveAnaphor(ctx, sentences, sentence, am[0]) ?? ctx.subject;
  // A description as the subject of a later clause: "In 2024, the broker reported a net profit…".
  const lead = sentence.text.slice(0, Math.max(0, pos - sentence.start));
  const dm = CLAUSE_DESCRIPTION_RE.exec(lead);
  if (dm && ctx.text) return describedCompany(ctx, dm[1]!, sentence.start) ?? ctx.subject;
  return ctx.subject;
}

const CLAUSE_DESCRIPTION_RE = /(?:^|[,;]\s+|\b(?:and|but|while)\s+)(the\s+(?:[\p{L}-]+\s+){0,3}?(?:company|firm|group|bank|startup|start-up|lender|exchange|fintech|business|platform|provider|neobank|insurer|app|broker|brokerage|processor))\b/iu;

/** What an opening "It" / "The company" / "The Swedish fintech" refers to, or null for the subject rule. */
function resolveAnaphor(ctx: CompanyContext, sentences: Sentence[], sentence: Sentence, phrase: string, depth = 0): CompanyMention | null {
  const prev = sentences[sentence.index - 1];
  if (prev) {
    const pm = mentionsIn(ctx.mentions, prev.start, prev.end).filter((m) => !isSourceMention(prev, m));
    const keys = new Set(pm.map((m) => m.key));
    // "Quanta's best-known rival, Robinhood, has recovered. Its shares…": the previous sentence's
    // subject is the company in apposition to the possessive, not the possessor.
    if (keys.size === 2 && /^(?:it|its|the company|the firm)$/i.test(phrase.trim())) {
      const [a, b] = [pm[0]!, pm.find((m) => m.key !== pm[0]!.key)!];
      const between = prev.text.slice(a.end - prev.start, b.start - prev.start);
      if (a.start - prev.start <= 4 && /^[’']s\s+(?:[\p{L}-]+\s+){0,3}?[\p{L}-]+,\s+$/u.test(between) && /^,\s/.test(prev.text.slice(b.end - prev.start))) return b;
    }
    // "Quanta was founded in Austin. Its app is rated 4.7 out of 5 in Apple's App Store": the opener
    // is the company just named, even when that is the article's subject.
    if (keys.size === 1 && pm[0]!.key === ctx.subject?.key && /^(?:it|its)$/i.test(phrase.trim()) && prev.para === sentence.para) return pm[0]!;
    if (keys.size === 1 && pm[0]!.key !== ctx.subject?.key) {
      // "It"/"The company" follow the last named company; a descriptor ("The Swedish company") must match how it was introduced.
      const desc = /^The ((?:[\p{L}-]+\s+){0,3}?)(company|firm|group|bank|startup|start-up|lender|exchange|fintech|business|platform|provider|neobank|insurer|app)/u.exec(phrase);
      const words = (desc?.[1] ?? '').trim().split(/\s+/).filter(Boolean);
      // "The bank" follows the last named company only if that one is a bank: a broker quoted in between is not.
      const noun = desc?.[2] ?? '';
      const typed = !noun || /^(?:company|firm|group|business)$/.test(noun) || `${pm[0]!.name} ${ctx.text ? introOf(ctx.text, pm[0]!, sentence.start) : ''}`.toLowerCase().includes(noun.replace('start-up', 'start'));
      if (!words.length && typed && prev.para === sentence.para) return pm[0]!;
      if (words.length && ctx.text) {
        const first = ctx.mentions.find((m) => m.key === pm[0]!.key)!;
        const around = (ctx.text.slice(first.start, first.start + 160).split(/[.!?]\s/)[0] ?? "").toLowerCase();
        if (words.every((w) => around.includes(w.toLowerCase()))) return pm[0]!;
        // "Then there is Klarna, by far the largest. The Swedish company's…": words the article never
        // used for it still follow the one company just named, unless they describe another one.
        if (typed && prev.para === sentence.para && /^the\b/i.test(phrase)) return describedCompany(ctx, phrase, sentence.start) ?? pm[0]!;
      }
    }
    // A run of "It…" / "Its…" sentences keeps the antecedent of the first.
    if (!pm.length && prev.para === sentence.para && /^(?:it|its)$/i.test(phrase.trim()) && depth < 3) {
      const opener = /^(?:It|Its)\b/.exec(prev.text);
      if (opener) return resolveAnaphor(ctx, sentences, prev, opener[0], depth + 1);
    }
  }
  // "The Israeli trading platform", "the broker": the one company introduced with those words.
  if (ctx.text) return describedCompany(ctx, phrase, sentence.start);
  return null;
}

const DESCRIPTOR_NOUN = /^(?:the|its)\s+((?:[\p{L}-]+\s+){0,3}?)(company|firm|group|bank|startup|start-up|lender|exchange|fintech|business|platform|provider|neobank|insurer|app|broker|brokerage|unicorn|processor)\b/iu;

/** How a mention is introduced: the words right before it in its phrase ("Israeli trading platform X") and its appositive (", the London-based lender,"). */
function introOf(text: string, m: CompanyMention, limit: number): string {
  const pre = text.slice(Math.max(0, m.start - 60), m.start);
  const cut = Math.max(pre.lastIndexOf('. '), pre.lastIndexOf(', '), pre.lastIndexOf(' and '), pre.lastIndexOf('\n'));
  const post = text.slice(m.end, Math.min(limit, m.end + 90));
  const appositive = /^,\s+([^,.;]{3,80})[,.]/.exec(post)?.[1] ?? '';
  return `${pre.slice(cut + 1)} ${appositive}`.toLowerCase();
}

/** The company whose introduction uses every word of a definite description, if exactly one does. */
function describedCompany(ctx: CompanyContext, phrase: string, before: number): CompanyMention | null {
  const d = DESCRIPTOR_NOUN.exec(phrase);
  if (!d) return null;
  const words = [...(d[1] ?? '').trim().split(/\s+/).filter(Boolean), d[2]!].map((w) => w.toLowerCase().replace(/(?:i|ish|an|ese|-based)$/, ''));
  // A bare "the company" names nothing in particular: leave it to the subject rule.
  if (words.length < 2 && /^(?:company|firm|group|business)$/.test(words[0]!)) return null;
  const hits = new Map<string, CompanyMention>();
  const noun = words.at(-1)!;
  for (const m of ctx.mentions) {
    if (m.start >= before) break;
    // The name counts as introduction ("Norrsken Bank" is a bank); the noun is a whole word ("a
    // banking analyst at a brokerage" does not make the brokerage "the bank").
    const intro = `${m.name.toLowerCase()} ${introOf(ctx.text!, m, before)}`;
    if (words.slice(0, -1).every((w) => intro.includes(w)) && intro.split(/[^\p{L}-]+/u).some((t) => t === noun || t === `${noun}s` || t === `${noun}es`)) hits.set(m.key, m);
  }
  return hits.size === 1 ? [...hits.values()][0]! : null;
}

/** "according to data from Tokenmetric": the company is a source, not the owner of the number. */
function isSourceMention(s: Sentence, m: CompanyMention): boolean {
  const before = s.text.slice(Math.max(0, m.start - s.start - 50), m.start - s.start);
  const after = s.text.slice(m.end - s.start, m.end - s.start + 10);
  if (/^-(?:powered|based tool|built)/.test(after)) return true;
  if (/\b(?:built with|developed with|powered by|partnership with|partnered with|in partnership with|using|with help from|technology from|models? from)\s*$/i.test(before)) return true;
  return /\b(?:according to|data from|estimates? (?:from|by)|analysts? at|research(?:er)? (?:from|at|by)|report (?:from|by)|(?:research|analytics|data) (?:firm|company)|led by|backed by|from investors?(?: including)?|investors? (?:including|such as)|with participation from)\b[^.]*$/i.test(before);
}

export function mentionsIn(mentions: CompanyMention[], start: number, end: number): CompanyMention[] {
  // Mentions are sorted; a linear scan from a binary-searched start keeps this cheap.
  let lo = 0;
  let hi = mentions.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (mentions[mid]!.start < start) lo = mid + 1;
    else hi = mid;
  }
  const out: CompanyMention[] = [];
  for (let i = lo; i < mentions.length && mentions[i]!.start < end; i++) out.push(mentions[i]!);
  return out;
}

const GENERIC_SUFFIX = /^(?:Bank|Pay|Payments|Wealth|Financial|Finance|Capital|Group|Holdings|Technologies|Labs|Money|Credit|Exchange|Markets|Securities|Inc|Ltd|AB|plc|PLC|GmbH|SA|NV|Corp|LLC|Co)$/;

/**
 * Short forms of discovered multi-word names ("Lumo" for "Lumo Bank", "Orbital" for "Orbital Pay"),
 * mapped to the full name, when the short form is used in the text.
 */
const LEGAL_SUFFIX = /^(?:Holdings|Group|Technologies|Inc|Ltd|AB|plc|PLC|GmbH|SA|NV|Corp|LLC|Co)$/;

function canonicalNames(discovered: Set<string>, text: string): Map<string, string> {
  const out = new Map<string, string>();
  const names = [...discovered].sort((a, b) => b.length - a.length);
  for (const n of names) {
    const toks = n.split(' ');
    if (toks.length < 2) continue;
    if (!toks.slice(1).every((t) => GENERIC_SUFFIX.test(t))) continue;
    const short = toks[0]!;
    if (toks.slice(1).every((t) => LEGAL_SUFFIX.test(t))) {
      // "Cardora Holdings" is "Cardora": the legal suffix is not part of the name people use.
      out.set(n, short);
      continue;
    }
    if (STOP.has(short) || short.length < 3) continue;
    if (out.has(short)) continue;
    if (discovered.has(short) || new RegExp(`(?<![\\p{L}])${escapeRe(short)}(?![\\p{L}])`, 'u').test(text.replace(new RegExp(escapeRe(n), 'g'), ''))) out.set(short, n);
  }
  // A short name that was itself discovered maps to the long one too.
  for (const [short, long] of out) if (discovered.has(short)) out.set(short, long);
  return out;
}
