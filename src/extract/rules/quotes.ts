/**
 * Direct quotes with their speakers: “…,” said Name; Name, title, said: “…”; according to Name;
 * split quotes (“First,” he said. “Second.”) become one quote; he/she resolve to the last named person.
 */
import type { Sentence } from './sentences.ts';
import { sentenceAt } from './sentences.ts';

export interface FoundQuote {
  quote: string;
  speaker: string;
  /** Where the speaker is introduced/attributed, to resolve the speaker's company. */
  attribution: string;
  /** Evidence span: whole sentences covering the quote and its attribution. */
  start: number;
  end: number;
  /** Offset of the quote's opening mark. */
  quoteStart: number;
  pronoun: boolean;
}

// Linear time: a curly quote's body stops at the next opening mark as well as the closing one, so a
// run of unclosed “ can't make every start scan 2,000 characters (and an unclosed “ no longer swallows
// the next real quote).
export const QUOTE_RE = /“([^“”]{2,2000}?)”|"([^"\n]{2,2000}?)"/g;
const VERB = String.raw`(?:said|says|say|added|adds|told|tells|explained|explains|wrote|writes|noted|notes|stated|states|continued|continues|argued|argues|warned|warns|insisted|insists|commented|comments|remarked|remarks|recalled|recalls|acknowledged|acknowledges|conceded|concedes|predicted|declared|asked|asks|replied|responded|posted|quipped|quips|admitted|admits|stressed|stresses|emphasi[sz]ed|claimed|claims|joked|jokes|cautioned|observed|concluded|maintained|boasted|recounted|reflected|mused|countered|suggested)`;
const NAME_TOKEN = String.raw`(?:[\p{Lu}][\p{L}’'\-]+|[\p{Lu}]\.)`;
// A name starts where a word starts. Without this guard an unanchored search retries PERSON at every
// letter of a long capitalised run and each try rescans the rest of it: quadratic (a 1 MB run of
// capitals held extraction for minutes). Every pattern that searches for PERSON starts with it.
const NAME_START = String.raw`(?<![\p{L}’'\-])`;
// Particles are whole words: "Zach Perret described" is not "Zach Perret de".
const PERSON = String.raw`(?:${NAME_TOKEN}(?:\s(?:${NAME_TOKEN}|(?:de|van|von|der|da|du|la|le|bin|al)(?![\p{L}]))){0,4})`;
const ROLE_WORDS = String.raw`(?:consultant|adviser|advisor|banker|source|person familiar with [\w ]{1,60}|people familiar with [\w ]{1,60}|chief executive|chief executive officer|chief financial officer|chief operating officer|chief technology officer|chief product officer|chief risk officer|chief economist|chief|CEO|CFO|COO|CTO|CPO|founder|co-founder|cofounder|president|chairman|chairwoman|chair|head|director|partner|analyst|economist|spokesperson|spokesman|spokeswoman|representative|executive|officer|strategist|investor|manager|vice president|VP|general manager|managing director|professor|researcher|lawyer|minister|governor|official|engineer|lead|boss)`;
const ROLE_ONLY_RE = new RegExp(String.raw`^(?:(?:a|an|the)\s+)?(?:[\p{L}.’'\-]+\s+){0,3}?${ROLE_WORDS}s?(?:\s+(?:for|at|of|with)\s+[\p{L}.’'\- ]{1,40})?$`, 'iu');

// After the quote: “…,” said Name / “…,” Name said / “…,” he said / “…,” the company said.
const AFTER_RE = new RegExp(
  String.raw`^\s*(?:[,—–-]\s*)?(?:(?<v1>${VERB}|according to)\s+(?<who1>[^\s.,;:“”"][^.,;:“”"]{0,79}?)(?=[.,;:!?]|\s+(?:in|on|at|during|last|this|to|when|after|before|while|adding|who)\b|$)|(?<who2>[^\s.,;:“”"][^.,;:“”"]{0,79}?)\s+(?<v2>${VERB})\b|(?<who3>${PERSON}),\s[^“”".;]{1,80}?,\s+${VERB}\b)`,
  'u',
);
// Before the quote: Name said: “…” / Name, title, said: “…” / According to Name, “…”.
const BEFORE_RE = new RegExp(
  // Names start at a non-blank and the blanks around [:,] are read once: each of these overlaps used
  // to let a run of blanks be split every possible way (cubic on a few hundred spaces).
  String.raw`(?:(?<who1>[^\s.;:“”"!?][^.;:“”"!?]{0,159}?)\s+${VERB}(?:\s+(?:in|on|at|during|to)\s+[^:“”"]{1,50}?)?(?:\s+that(?:\s+[^“”"]{0,100}?)?)?(?:\s*[:,])?|[Aa]ccording to\s+(?<who2>[^\s.;:“”"][^.;:“”"]{0,99}?)(?:\s*,)?)\s*$`,
  'u',
);

const PRONOUNS = /^(?:he|she|they|him|her)$/i;

/** A sentence whose subject is a person doing the saying: "He insisted…", "Dorsey, who co-founded X, said he…". */
const INTRO_SUBJECT_RE = new RegExp(
  String.raw`^(?:(?:And|But|Instead|Then|So|Still|Later|Earlier)\s+)?(?<who>[Hh]e|[Ss]he|${PERSON})(?:,[^,“”"]{1,100},)?\s+(?:also\s+|then\s+|later\s+)?(?:${VERB}|described|pointed|went on|went further|insisted|argued|told|wrote)\b`,
  'u',
);

export interface PersonIndex {
  /** Person mentions (name, offset) in text order. */
  mentions: { name: string; start: number }[];
  /** Surname → full name. */
  full: Map<string, string>;
  /** Full name → the roles the article gives them ("ceo", "founder", "cfo"…). */
  roles: Map<string, Set<string>>;
}

/** A role phrase reduced to what it means: "chief executive officer", "CEO", "boss" → "ceo". */
function roleKeys(phrase: string): Set<string> {
  const p = phrase.toLowerCase();
  const out = new Set<string>();
  if (/\b(?:chief executive|ceo|boss|chief)\b/.test(p) && !/\bchief (?:financial|operating|technology|product|risk|economist|marketing)\b/.test(p)) out.add('ceo');
  if (/\b(?:co-?founder|cofounder|founder)\b/.test(p)) out.add('founder');
  if (/\b(?:chief financial officer|cfo|finance chief)\b/.test(p)) out.add('cfo');
  if (/\b(?:chief operating officer|coo)\b/.test(p)) out.add('coo');
  if (/\b(?:chief technology officer|cto)\b/.test(p)) out.add('cto');
  if (/\b(?:chairman|chairwoman|chair)\b/.test(p)) out.add('chair');
  if (/\bpresident\b/.test(p) && !/\bvice president\b/.test(p)) out.add('president');
  return out;
}

const INTRO_RES = [
  // The employer after "of/at" is a few capitalised words: bounded, so a capitalised run after a role
  // word is scanned once, not once per word that PERSON could start at.
  new RegExp(String.raw`\b${ROLE_WORDS}s?(?:\s+(?:of|at)\s+[\p{Lu}][\p{L}.&’'\-]*(?:\s[\p{Lu}][\p{L}.&’'\-]*){0,6})?,?\s+(?<name>${PERSON})`, 'gu'),
  new RegExp(String.raw`${NAME_START}(?<name>${PERSON}),\s+(?:the\s+|a\s+|an\s+|its\s+|[\p{Lu}][\p{L}.&’'\-]*\s+)?(?:[\p{L}’'\-]+\s+){0,4}?${ROLE_WORDS}\b`, 'gu'),
  new RegExp(String.raw`${NAME_START}(?<name>${PERSON})\s+${VERB}\b`, 'gu'),
  new RegExp(String.raw`\b${VERB}\s+(?<name>${PERSON})`, 'gu'),
  // "named Priya Raman as chief executive".
  new RegExp(String.raw`${NAME_START}(?<name>${PERSON})\s+as\s+(?:(?:its|the|new|interim|acting)\s+){0,3}${ROLE_WORDS}\b`, 'gu'),
];
const NOT_PERSON = /^(?:The|A|An|It|He|She|They|We|I|This|That|In|On|But|And|Chief|Executive|CEO|Its|Their|Our|Mr|Ms|Mrs|Dr|Analysts|Investors|Reuters|Bloomberg|According)$/;

function cleanPerson(raw: string): string | null {
  let toks = raw.trim().split(/\s+/);
  while (toks.length && (NOT_PERSON.test(toks[0]!) || /^(?:Mr|Ms|Mrs|Dr)\.?$/.test(toks[0]!))) {
    if (/^(?:Mr|Ms|Mrs|Dr)\.?$/.test(toks[0]!)) break;
    toks = toks.slice(1);
  }
  if (!toks.length || toks.length > 4) return null;
  const name = toks.join(' ').replace(/[’']s$/, '');
  if (/^(?:Mr|Ms|Mrs|Dr)\.?$/.test(name)) return null;
  return name;
}

/** Collects named people (introduced by a role or an attribution verb). */
export function indexPeople(text: string, companyNames: Set<string>): PersonIndex {
  const mentions: { name: string; start: number }[] = [];
  const full = new Map<string, string>();
  const roles = new Map<string, Set<string>>();
  for (const [ri, re] of INTRO_RES.entries()) {
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const name = cleanPerson(m.groups!.name!);
      if (!name || companyNames.has(name)) continue;
      const toks = name.split(' ');
      if (toks.length < 2 && !full.has(name)) {
        // A lone capitalised word is a person only if it is the surname of a known full name.
        continue;
      }
      mentions.push({ name, start: m.index + m[0].indexOf(m.groups!.name!) });
      if (toks.length >= 2) full.set(toks[toks.length - 1]!, name);
      // Patterns 0 and 1 introduce a person with a role ("chief executive Jane Doe", "Jane Doe, the CFO").
      if ((ri <= 1 || ri === 4) && toks.length >= 2) {
        const keys = roleKeys(m[0]);
        if (keys.size) roles.set(name, new Set([...(roles.get(name) ?? []), ...keys]));
      }
    }
  }
  // Surnames on their own ("Reyes said") count as mentions of the full name.
  if (full.size) {
    const re = new RegExp(`\\b(?:${[...full.keys()].map((k) => k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})\\b`, 'gu');
    for (let m = re.exec(text); m; m = re.exec(text)) mentions.push({ name: m[0], start: m.index });
  }
  mentions.sort((a, b) => a.start - b.start);
  return { mentions, full, roles };
}

function lastPersonBefore(people: PersonIndex, pos: number): string | null {
  let best: string | null = null;
  for (const p of people.mentions) {
    if (p.start >= pos) break;
    best = p.name;
  }
  if (!best) return null;
  return people.full.get(best) ?? best;
}

/**
 * "the chief executive", "its CEO", "the Splitlane co-founder": the person the article gave that
 * role; failing that, for the top roles, the one full-named person it has mentioned so far.
 */
function personInRole(people: PersonIndex, phrase: string, pos: number): string | null {
  if (/^(?:a|an|one)\s/i.test(phrase)) return null; // "a spokesperson" is nobody in particular
  const keys = roleKeys(phrase);
  if (!keys.size) return null;
  const holders = [...people.roles].filter(([, r]) => [...keys].some((k) => r.has(k))).map(([n]) => n);
  if (holders.length === 1) return holders[0]!;
  if (holders.length > 1) return null;
  if (!keys.has('ceo') && !keys.has('founder')) return null;
  const named = new Set(people.mentions.filter((m) => m.start < pos).map((m) => people.full.get(m.name) ?? m.name).filter((n) => n.includes(' ')));
  return named.size === 1 ? [...named][0]! : null;
}

/**
 * Joins the parts of an interrupted quote from their own words: the comma that led into the
 * attribution ("…not a trade-off,” she said. “We grew…") is not the speaker's; where the next part
 * starts a new sentence, the first ends as one.
 */
export function joinQuoteParts(a: string, b: string): string {
  const head = a.replace(/(?<![,;:\s])[,;:\s]+$/, '');
  if (/^\p{Lu}/u.test(b) && !/^I\b/.test(b) && !/[.!?…]$/.test(head)) return `${head}. ${b}`;
  return `${head} ${b}`;
}

function notePerson(people: PersonIndex, name: string, at: number): void {
  let i = people.mentions.length;
  while (i > 0 && people.mentions[i - 1]!.start > at) i--;
  people.mentions.splice(i, 0, { name, start: at });
  const toks = name.split(' ');
  if (!people.full.has(toks.at(-1)!)) people.full.set(toks.at(-1)!, name);
}

/** One spelling per person: a surname the article has given in full becomes the full name. */
function canonical(people: PersonIndex, name: string): string {
  return name.includes(' ') ? name : (people.full.get(name) ?? name);
}

/** Turns an attribution phrase into a speaker: a name as written, else a role ("a spokesperson"). */
function speakerFrom(who: string, people: PersonIndex, pos: number, companyNames: Set<string>): { speaker: string; pronoun: boolean } | null {
  let w = who.trim().replace(/^(?:and|but|as)\s+/i, '');
  const lastSeg = w.split(',').pop()!.trim();
  if (PRONOUNS.test(lastSeg)) w = lastSeg;
  // "Rachel Ambrose of Corbel Research" / "Jane Doe at Acme": the person comes first.
  const ofm = new RegExp(`^(?<name>${PERSON})\\s+(?:of|at|from)\\s`, 'u').exec(w);
  if (ofm?.groups?.name) {
    const name = cleanPerson(ofm.groups.name);
    if (name && name.split(' ').length >= 2 && !companyNames.has(name)) return { speaker: name, pronoun: false };
  }
  if (PRONOUNS.test(w)) {
    const p = lastPersonBefore(people, pos);
    return p ? { speaker: p, pronoun: true } : null;
  }
  // Trailing name: "chief executive Tomás Reyes", "Klarna CEO Sebastian Siemiatkowski".
  const nameRe = new RegExp(`(?:^|\\s)(?<name>${PERSON})$`, 'u');
  const nm = nameRe.exec(w);
  if (nm?.groups?.name) {
    const name = cleanPerson(nm.groups.name);
    if (name && !companyNames.has(name) && !/^(?:It|They|We)$/.test(name)) {
      if (name.split(' ').length >= 2 || people.full.has(name) || /^(?:Mr|Ms|Mrs|Dr)\.?\s/.test(name)) return { speaker: canonical(people, name), pronoun: false };
    }
  }
  // Leading name with an appositive: "Hannah Voss, a research director at Ledgerlight".
  const lead = new RegExp(`^(?<name>${PERSON})\\s*,`, 'u').exec(w);
  if (lead?.groups?.name) {
    const name = cleanPerson(lead.groups.name);
    if (name && !companyNames.has(name) && name.split(' ').length >= 2) return { speaker: name, pronoun: false };
  }
  const nm2 = new RegExp(`^(?<name>${PERSON})$`, 'u').exec(w);
  if (nm2?.groups?.name) {
    const name = cleanPerson(nm2.groups.name);
    if (name && (name.split(' ').length >= 2 || people.full.has(name))) return { speaker: canonical(people, name), pronoun: false };
    if (name && companyNames.has(name)) return { speaker: name, pronoun: false };
  }
  w = w.replace(/,.*$/, '').trim();
  if (ROLE_ONLY_RE.test(w) && w.split(/\s+/).length <= 8) {
    const person = personInRole(people, w, pos);
    return { speaker: person ?? w, pronoun: person != null };
  }
  // "The company said in a statement that it was “simplifying…”" is a company's wording, not a
  // person's quote: no speaker a researcher could cite.
  return null;
}

/** Finds direct quotes in `text`. */
export function findQuotes(text: string, sentences: Sentence[], people: PersonIndex, companyNames: Set<string>): FoundQuote[] {
  type Raw = { qs: number; qe: number; words: string; speaker: string | null; pronoun: boolean; attrEnd: number; attribution: string };
  const raws: Raw[] = [];
  QUOTE_RE.lastIndex = 0;
  for (let m = QUOTE_RE.exec(text); m; m = QUOTE_RE.exec(text)) {
    const words = (m[1] ?? m[2] ?? '').trim();
    const qs = m.index;
    const qe = m.index + m[0].length;
    // Paragraph bounds.
    const paraStart = Math.max(text.lastIndexOf('\n\n', qs), 0);
    let paraEnd = text.indexOf('\n\n', qe);
    if (paraEnd < 0) paraEnd = text.length;
    let speaker: string | null = null;
    let pronoun = false;
    let attrEnd = qe;
    let attribution = '';
    const after = text.slice(qe, Math.min(paraEnd, qe + 160));
    const am = AFTER_RE.exec(after);
    if (am?.groups) {
      const who = am.groups.who1 ?? am.groups.who2 ?? am.groups.who3 ?? '';
      const sp = speakerFrom(who, people, qs, companyNames);
      if (sp) {
        speaker = sp.speaker;
        pronoun = sp.pronoun;
        attrEnd = qe + am[0].length;
        attribution = after.slice(0, Math.min(after.length, am[0].length + 80));
      }
    }
    if (!speaker) {
      const sentStart = sentenceAt(sentences, qs)?.start ?? paraStart;
      const before = text.slice(Math.max(paraStart, sentStart, qs - 260), qs);
      const bm = BEFORE_RE.exec(before);
      if (bm?.groups) {
        const who = bm.groups.who1 ?? bm.groups.who2 ?? '';
        const sp = speakerFrom(who, people, qs, companyNames);
        if (sp) {
          speaker = sp.speaker;
          pronoun = sp.pronoun;
          attribution = before;
        }
      }
    }
    if (!speaker) {
      // Introduced in the sentence before, or by a colon in this one: "Dorsey said he had faced a
      // choice. “I had two options…”" / "And he went further: “…”".
      const sq = sentenceAt(sentences, qs);
      const lead = sq ? text.slice(sq.start, qs) : '';
      const prev = sq && sq.start >= qs - 1 ? sentences[sq.index - 1] : null;
      const intro = /:\s*$/.test(lead) ? lead : prev && prev.para === sq!.para && !/[“”"]/.test(prev.text) ? prev.text : null;
      const im = intro ? INTRO_SUBJECT_RE.exec(intro) : null;
      if (im?.groups?.who) {
        const sp = speakerFrom(im.groups.who, people, qs, companyNames);
        if (sp) {
          speaker = sp.speaker;
          pronoun = sp.pronoun;
          attribution = intro!;
        }
      }
    }
    // A named speaker is someone later pronouns can point back to.
    if (speaker && !pronoun && speaker.includes(' ')) notePerson(people, speaker, qs);
    raws.push({ qs, qe, words, speaker, pronoun, attrEnd, attribution });
  }
  // Merge split quotes: “A,” he said. “B.” → one quote.
  const out: FoundQuote[] = [];
  let prevSpeakerEndPara: { speaker: string; para: number; attribution: string } | null = null;
  for (let i = 0; i < raws.length; i++) {
    const r = raws[i]!;
    let words = r.words;
    let end = Math.max(r.qe, r.attrEnd);
    let speaker = r.speaker;
    let pronoun = r.pronoun;
    let attribution = r.attribution;
    while (i + 1 < raws.length) {
      const n = raws[i + 1]!;
      const gap = text.slice(end, n.qs);
      // Either nothing but punctuation between the parts, or the rest of the attribution sentence
      // (“…,” says Name, founder of X. “Second part.”) when the second part has no speaker of its own.
      const gapOk = (/^[\s,.;:—–-]*$/.test(gap) || (!n.speaker && /^[^“”"\n]{0,160}[.,:;—–]\s*$/.test(gap))) && !gap.includes('\n\n');
      if (!gapOk) break;
      if (n.speaker && speaker && n.speaker !== speaker) break;
      if (!speaker && !n.speaker) break;
      words = joinQuoteParts(words, n.words);
      end = Math.max(n.qe, n.attrEnd);
      if (!speaker) { speaker = n.speaker; pronoun = n.pronoun; attribution = n.attribution; }
      i++;
    }
    const sq = sentenceAt(sentences, r.qs);
    if (!speaker && prevSpeakerEndPara && sq && sq.para === prevSpeakerEndPara.para + 1 && sq.start === r.qs) {
      // A paragraph that is only a quote continues the previous paragraph's speaker.
      const paraText = text.slice(sq.start, text.indexOf('\n\n', sq.start) < 0 ? text.length : text.indexOf('\n\n', sq.start));
      if (/^[“"][^“”"]*[”"]$/.test(paraText.trim())) {
        speaker = prevSpeakerEndPara.speaker;
        attribution = prevSpeakerEndPara.attribution;
      }
    }
    const plain = words.replace(/(?<![,\s])[,\s]+$/, '').replace(/^\s+/, '');
    // A quote worth recording says something: fragments of a few words are scare quotes.
    if (!speaker || plain.split(/\s+/).length < 6) continue;
    const first = sentenceAt(sentences, r.qs);
    const last = sentenceAt(sentences, Math.max(r.qs, end - 1));
    if (!first || !last) continue;
    out.push({ quote: plain, speaker, attribution, start: first.start, end: last.end, quoteStart: r.qs, pronoun });
    prevSpeakerEndPara = { speaker, para: last.para, attribution };
  }
  return out;
}
