import { describe, expect, it } from 'vitest';
import { escapeXml, lineChart } from '../../../src/lib/site/chart.ts';
import { formatAsOf, formatValue } from '../../../src/lib/site/format.ts';

describe('site format', () => {
  it('formats money, people, percent and ranges', () => {
    expect(formatValue(45_600_000_000, 'USD')).toBe('USD 45.6 billion');
    expect(formatValue(700, 'people')).toBe('700 people');
    expect(formatValue(17, 'percent')).toBe('17%');
    expect(formatValue(2000, 'people', 2500)).toBe('2,000 people – 2,500 people');
    expect(formatValue(-1_200_000, 'SEK')).toBe('SEK -1.2 million');
    expect(formatValue(null, 'USD')).toBe('—');
    expect(formatAsOf(null)).toBe('date unknown');
  });
});

describe('site chart', () => {
  it('escapes every text node, so hostile labels never become markup', () => {
    const svg = lineChart([{ label: '<script>alert(1)</script>', value: 1 }, { label: '2025', value: 3 }], {
      title: 'Evil <img src=x onerror=alert(1)> & co',
    });
    expect(svg).not.toContain('<script>');
    expect(svg).not.toContain('<img');
    expect(svg).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(svg).toContain('<title>Evil &lt;img src=x onerror=alert(1)&gt; &amp; co</title>');
    expect(svg).toMatch(/<desc>/);
    expect(svg).toContain('<polyline');
  });
  it('escapes quotes', () => {
    expect(escapeXml(`"'&`)).toBe('&quot;&#39;&amp;');
  });
});
