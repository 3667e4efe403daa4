// Astro's ambient types (astro:middleware and the other virtual modules), so `tsc --noEmit` in a
// fresh clone does not depend on .astro/types.d.ts, which only `astro sync` or a build generates.
/// <reference types="astro/client" />
