/** RFC 4180 records (quoted fields may hold commas, quotes and line breaks), as a spreadsheet reads them. */
export function csvRecords(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(field), (field = '');
    else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field), rows.push(row), (row = []), (field = ''), i++;
    } else field += c;
  }
  if (field || row.length) throw new Error('CSV does not end with CRLF');
  return rows;
}

/** The records as objects keyed by the header row. */
export function csvObjects(text: string): Record<string, string>[] {
  const [head, ...rows] = csvRecords(text);
  return rows.map((r) => Object.fromEntries(head!.map((h, i) => [h, r[i]!])));
}

/** Cells a spreadsheet would evaluate: text starting with = + - @ tab CR (or their fullwidth forms). */
export function formulaCells(text: string, numericColumns: string[]): string[] {
  const bad: string[] = [];
  for (const rec of csvObjects(text)) {
    for (const [col, v] of Object.entries(rec)) {
      if (numericColumns.includes(col) && /^-?\d+(?:\.\d+)?(?:e[+-]?\d+)?$/i.test(v)) continue;
      if (/^[=+\-@\t\r＝＋－＠]/.test(v)) bad.push(`${col}: ${JSON.stringify(v.slice(0, 40))}`);
    }
  }
  return bad;
}
