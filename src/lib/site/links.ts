/**
 * Every URL the site builds to an article, a fact's evidence or a company, in one place: the anchor
 * format (#fact-<id>) is what the article page renders and what the provenance walk checks, so a change
 * here moves every page, the RSS feed, the API's hit URLs and the browser script together.
 * No imports: the timeline's browser script bundles this file too.
 */
export function articleHref(articleId: number | string): string {
  return `/articles/${encodeURIComponent(String(articleId))}/`;
}

/** The article page at the highlighted sentence a fact was read from. */
export function evidenceHref(articleId: number | string, factId: string): string {
  return `${articleHref(articleId)}#${encodeURIComponent(factAnchor(factId))}`;
}

/** The id attribute of a fact's highlight on its article page (links encode it). */
export function factAnchor(factId: string): string {
  return `fact-${factId}`;
}

export function companyHref(slug: string): string {
  return `/companies/${encodeURIComponent(slug)}/`;
}

/** Where to read a fact: its evidence when an article holds it, else its company's sheet. */
export function factHref(articleId: number | null, factId: string, companySlug: string): string {
  return articleId !== null ? evidenceHref(articleId, factId) : companyHref(companySlug);
}
