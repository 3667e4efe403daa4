-- The change log of the rows the site build reads whole (db/schema.ts siteChanges): the build keeps
-- the facts and sources it read with the last sequence number it saw, and the next build re-reads
-- only what is named after that number (src/lib/site/row-base.ts) instead of every row.
--
-- Keys are what a re-read goes by: a fact by its id, a company by its id (a renamed company changes
-- the slug and name every fact row of it carries), an article by its id (a current source row is a
-- fact_sources row joined with its article's title, outlet, url, date, revision and copy link, so a
-- change to either names the article). Deletes are logged too, cascaded ones included (foreign-key
-- actions fire triggers). An update is logged whatever it changed: a re-read that finds the same row
-- costs one row; a missed change would put a stale figure on a fact sheet. A table rebuilt by a later
-- migration loses its triggers: the build checks they are all there and reads everything if not.
CREATE TABLE `site_changes` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`kind` text NOT NULL,
	`key` text NOT NULL,
	`stamp` integer DEFAULT (random()) NOT NULL
);
--> statement-breakpoint
-- The first row: every database has one to tell its history from another's.
INSERT INTO `site_changes` (`kind`, `key`) VALUES ('origin', '');
--> statement-breakpoint
CREATE TRIGGER `site_changes_facts_ai` AFTER INSERT ON `facts` BEGIN
	INSERT INTO site_changes (kind, key) VALUES ('fact', new.id);
END;
--> statement-breakpoint
CREATE TRIGGER `site_changes_facts_au` AFTER UPDATE ON `facts` BEGIN
	INSERT INTO site_changes (kind, key) VALUES ('fact', new.id);
	INSERT INTO site_changes (kind, key) SELECT 'fact', old.id WHERE old.id IS NOT new.id;
END;
--> statement-breakpoint
CREATE TRIGGER `site_changes_facts_ad` AFTER DELETE ON `facts` BEGIN
	INSERT INTO site_changes (kind, key) VALUES ('fact', old.id);
END;
--> statement-breakpoint
CREATE TRIGGER `site_changes_companies_au` AFTER UPDATE ON `companies` BEGIN
	INSERT INTO site_changes (kind, key) VALUES ('company', CAST(new.id AS TEXT));
	INSERT INTO site_changes (kind, key) SELECT 'company', CAST(old.id AS TEXT) WHERE old.id IS NOT new.id;
END;
--> statement-breakpoint
CREATE TRIGGER `site_changes_companies_ad` AFTER DELETE ON `companies` BEGIN
	INSERT INTO site_changes (kind, key) VALUES ('company', CAST(old.id AS TEXT));
END;
--> statement-breakpoint
CREATE TRIGGER `site_changes_fact_sources_ai` AFTER INSERT ON `fact_sources` BEGIN
	INSERT INTO site_changes (kind, key) VALUES ('article', CAST(new.article_id AS TEXT));
END;
--> statement-breakpoint
CREATE TRIGGER `site_changes_fact_sources_au` AFTER UPDATE ON `fact_sources` BEGIN
	INSERT INTO site_changes (kind, key) VALUES ('article', CAST(new.article_id AS TEXT));
	INSERT INTO site_changes (kind, key) SELECT 'article', CAST(old.article_id AS TEXT) WHERE old.article_id IS NOT new.article_id;
END;
--> statement-breakpoint
CREATE TRIGGER `site_changes_fact_sources_ad` AFTER DELETE ON `fact_sources` BEGIN
	INSERT INTO site_changes (kind, key) VALUES ('article', CAST(old.article_id AS TEXT));
END;
--> statement-breakpoint
-- Only the columns a current source shows: the collector rewrites others (fetch times, raw text) often.
CREATE TRIGGER `site_changes_articles_au` AFTER UPDATE OF `id`, `title`, `outlet`, `url`, `published_at`, `revision`, `copy_of_id` ON `articles` BEGIN
	INSERT INTO site_changes (kind, key) VALUES ('article', CAST(new.id AS TEXT));
	INSERT INTO site_changes (kind, key) SELECT 'article', CAST(old.id AS TEXT) WHERE old.id IS NOT new.id;
END;
--> statement-breakpoint
CREATE TRIGGER `site_changes_articles_ad` AFTER DELETE ON `articles` BEGIN
	INSERT INTO site_changes (kind, key) VALUES ('article', CAST(old.id AS TEXT));
END;
