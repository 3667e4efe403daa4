import { describe, expect, it } from 'vitest';
import { escapeXml, lineChart, periodMid } from '../../../src/lib/site/chart.ts';
import { formatAsOf, formatValue } from '../../../src/lib/site/format.ts';
import { ipoHistory } from '../../../src/lib/site/ipo.ts';
import type { FactRow } from '../../../src/lib/site/queries.ts';

describe('site format', () => {
  it('formats money, people, percent and ranges', () => {
    expect(formatValue(45_600_000_000, 'USD')).toBe('$45.6 billion');
    expect(formatValue(700, 'people')).toBe('700 people');
    expect(formatValue(17, 'percent')).toBe('17%');
    expect(formatValue(2000, 'people', 2500)).toBe('2,000 people – 2,500 people');
    expect(formatValue(-1_200_000, 'SEK')).toBe('−SEK 1.2 million');
    expect(formatValue(-53_000_000, 'USD')).toBe('−$53 million');
    expect(formatValue(21_400_000, 'users')).toBe('21.4 million users');
    expect(formatValue(null, 'USD')).toBe('—');
    expect(formatAsOf(null)).toBe('date unknown');
  });
});

describe('site chart', () => {
  it('escapes every text node, so hostile labels never become markup', () => {
    const svg = lineChart([{ label: '<script>alert(1)</script>', value: 1 }, { label: '2024', value: 2 }, { label: '2025', value: 3 }], {
      title: 'Evil <img src=x onerror=alert(1)> & co',
    });
    expect(svg).not.toContain('<script>');
    expect(svg).not.toContain('<img');
    expect(svg).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(svg).toContain('<title>Evil &lt;img src=x onerror=alert(1)&gt; &amp; co</title>');
    expect(svg).toMatch(/<desc>/);
    expect(svg).toContain('<polyline');
  });
  it('places periods on a time axis: a silent year is a gap, disputed points are hollow and off the line', () => {
    expect(periodMid('2021')).toBe(2021.5);
    expect(periodMid('2025-Q1')).toBe(2025.125);
    expect(periodMid('2024-H2')).toBe(2024.75);
    expect(periodMid('2025-03')).toBeCloseTo(2025.208, 3);
    expect(periodMid('2025-05-14')).toBeGreaterThan(2025.36);
    expect(periodMid('soon')).toBeNull();
    const svg = lineChart(
      [
        { label: '2021', value: 45.6e9 },
        { label: '2022', value: 6.7e9 },
        { label: '2025', value: 15e9 },
        { label: '2025', value: 14e9, disputed: true },
      ],
      { title: 't' },
    );
    const xs = [...svg.matchAll(/<circle cx="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(xs).toHaveLength(4);
    // 2021 → 2022 is one year; 2022 → 2025 is three, so three times as wide.
    expect((xs[2]! - xs[1]!) / (xs[1]! - xs[0]!)).toBeCloseTo(3, 5);
    expect(svg.match(/stroke="#8a4b00"/g)).toHaveLength(1);
    const line = /<polyline[^>]*points="([^"]+)"/.exec(svg)![1]!.split(' ');
    expect(line).toHaveLength(3);
    expect(svg).not.toMatch(/style=/);
  });
  it('escapes quotes', () => {
    expect(escapeXml(`"'&`)).toBe('&quot;&#39;&amp;');
  });
});

describe('IPO history', () => {
  const ev = (id: string, asOf: string | null, status: string | null) =>
    ({ id, kind: 'ipo', asOf, status, value: null, valueHigh: null, unit: null, createdAt: '2025-01-01T00:00:00Z' }) as unknown as FactRow;
  it('is one row per event, in time order, with every report of it', () => {
    const h = ipoHistory([ev('a', '2025-04', 'paused'), ev('b', '2021', 'planned'), ev('c', '2025-04-02', 'paused'), ev('d', '2025-05', 'planned'), ev('e', null, 'listed')]);
    expect(h.map((p) => [p.period, p.statuses.map((s) => [s.status, s.facts.map((f) => f.id)])])).toEqual([
      ['2021', [['planned', ['b']]]],
      ['2025-04-02', [['paused', ['a', 'c']]]],
      ['2025-05', [['planned', ['d']]]],
      [null, [['listed', ['e']]]],
    ]);
    expect(ipoHistory([])).toEqual([]);
  });
});
