/**
 * Escaping for HTML the build writes as strings rather than through an Astro template, the way Astro
 * escapes what a template interpolates: text by &, <, >, ' and "; attribute values (inside double
 * quotes) by & and ".
 */
const TEXT = /[&<>'"]/g;
const TEXT_ENTITY: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', "'": '&#39;', '"': '&quot;' };

/** Text content, escaped. */
export function escapeText(s: string): string {
  return s.replace(TEXT, (c) => TEXT_ENTITY[c]!);
}

/** An attribute value for double quotes, escaped. */
export function escapeAttr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
}
