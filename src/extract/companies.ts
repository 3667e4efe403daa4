/** Companies in the database: the registry shipped in content/ (and user additions), plus names met in text. */
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { companies } from '../../db/schema.ts';
import { slugify } from './identity.ts';

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

export interface RegistryEntry {
  slug: string;
  name: string;
  aliases: string[];
  ticker: string | null;
}

/** Makes the companies table agree with the registry (names, aliases, tickers); text-found ones stay. */
export async function seedRegistry(db: Db, registry: RegistryEntry[]): Promise<void> {
  if (registry.length === 0) return;
  await db.transaction(async (tx) => {
    for (const c of registry) {
      await tx
        .insert(companies)
        .values({ slug: c.slug, name: c.name, aliases: JSON.stringify(c.aliases), ticker: c.ticker, origin: 'registry' })
        .onConflictDoUpdate({
          target: companies.slug,
          set: { name: c.name, aliases: JSON.stringify(c.aliases), ticker: c.ticker, origin: 'registry' },
        });
    }
  });
}

/** The company's id, creating it (origin 'text') when it is not known yet. */
export async function ensureCompany(tx: Tx | Db, name: string, slug?: string | null): Promise<{ id: number; slug: string }> {
  const s = slug || slugify(name);
  const [found] = await tx.select({ id: companies.id }).from(companies).where(eq(companies.slug, s));
  if (found) return { id: found.id, slug: s };
  const [row] = await tx
    .insert(companies)
    .values({ slug: s, name: name.trim() || s, origin: 'text' })
    .onConflictDoUpdate({ target: companies.slug, set: { slug: s } })
    .returning({ id: companies.id });
  return { id: row!.id, slug: s };
}
