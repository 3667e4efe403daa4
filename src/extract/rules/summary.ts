/** Extractive summary: the lead sentence plus the highest-scoring sentences that carry facts. */
import type { Sentence } from './sentences.ts';
import { isBoilerplate } from './kinds.ts';

export function summarise(sentences: Sentence[], factCounts: Map<number, number>, subjectName: string | null, max = 3): string | null {
  const prose = sentences.filter((s) => !isBoilerplate(s.text) && s.text.split(/\s+/).length >= 6);
  if (!prose.length) return null;
  const lead = prose[0]!;
  const scored = prose.slice(1).map((s) => {
    let score = (factCounts.get(s.index) ?? 0) * 2;
    if (subjectName && s.text.includes(subjectName)) score += 1;
    if (/^[“"]/.test(s.text)) score -= 2;
    if (/[“"]/.test(s.text)) score -= 0.5;
    score -= s.index * 0.05;
    if (s.text.length > 400) score -= 1;
    return { s, score };
  });
  scored.sort((a, b) => b.score - a.score);
  const picked = [lead, ...scored.filter((x) => x.score > 0).slice(0, max - 1).map((x) => x.s)];
  picked.sort((a, b) => a.index - b.index);
  return picked.map((s) => s.text).join(' ');
}
