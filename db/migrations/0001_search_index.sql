-- Full-text search over articles and facts for /api/search (FTS5, bm25 ranking, snippets).
--
-- One FTS5 table holds both kinds of document: an article (title, text) and a current fact
-- (statement; quote, speaker and company name). It keeps its own copy of the text because snippet()
-- needs the text and facts draw theirs from two tables. FTS5 rows are addressed by rowid only (kind
-- and ref are UNINDEXED, so a lookup by them would scan), hence search_docs: one stable integer per
-- indexed document, used as the FTS rowid by the triggers below.
--
-- Triggers keep the index in step with every write, whoever makes it (collector, extractor, another
-- worker on a shared server): retracted facts leave it, re-extraction's upserts that change nothing
-- searchable do not touch it (UPDATE OF … WHEN … IS NOT …), and a renamed company re-indexes its facts.
--
-- snippet() marks matches with the control characters \x02 … \x03 (src/lib/api/search.ts turns them
-- into [start, end] ranges): they are replaced by spaces in the indexed text, where they would be
-- separators for the tokenizer anyway, so text from the web cannot forge a match marker.
CREATE TABLE `search_docs` (
	`id` integer PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`ref` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `search_docs_uq` ON `search_docs` (`kind`, `ref`);
--> statement-breakpoint
CREATE VIRTUAL TABLE `search_fts` USING fts5(
	kind UNINDEXED,
	ref UNINDEXED,
	company UNINDEXED,
	title,
	body,
	tokenize = 'porter unicode61 remove_diacritics 2'
);
--> statement-breakpoint
CREATE TRIGGER `search_articles_ai` AFTER INSERT ON `articles` BEGIN
	INSERT INTO search_docs (kind, ref) VALUES ('article', CAST(new.id AS TEXT));
	INSERT INTO search_fts (rowid, kind, ref, company, title, body)
		SELECT d.id, 'article', d.ref, NULL,
			replace(replace(coalesce(new.title, ''), char(2), ' '), char(3), ' '),
			replace(replace(new.text, char(2), ' '), char(3), ' ')
		FROM search_docs d WHERE d.kind = 'article' AND d.ref = CAST(new.id AS TEXT);
END;
--> statement-breakpoint
CREATE TRIGGER `search_articles_au` AFTER UPDATE OF title, text ON `articles`
WHEN old.title IS NOT new.title OR old.text IS NOT new.text BEGIN
	UPDATE search_fts SET
		title = replace(replace(coalesce(new.title, ''), char(2), ' '), char(3), ' '),
		body = replace(replace(new.text, char(2), ' '), char(3), ' ')
	WHERE rowid = (SELECT id FROM search_docs WHERE kind = 'article' AND ref = CAST(new.id AS TEXT));
END;
--> statement-breakpoint
CREATE TRIGGER `search_articles_ad` AFTER DELETE ON `articles` BEGIN
	DELETE FROM search_fts WHERE rowid = (SELECT id FROM search_docs WHERE kind = 'article' AND ref = CAST(old.id AS TEXT));
	DELETE FROM search_docs WHERE kind = 'article' AND ref = CAST(old.id AS TEXT);
END;
--> statement-breakpoint
CREATE TRIGGER `search_facts_ai` AFTER INSERT ON `facts` WHEN NOT new.retracted BEGIN
	INSERT INTO search_docs (kind, ref) VALUES ('fact', new.id);
	INSERT INTO search_fts (rowid, kind, ref, company, title, body)
		SELECT d.id, 'fact', new.id, c.slug,
			replace(replace(new.statement, char(2), ' '), char(3), ' '),
			replace(replace(concat_ws(' ', new.quote, new.speaker, c.name), char(2), ' '), char(3), ' ')
		FROM search_docs d JOIN companies c ON c.id = new.company_id
		WHERE d.kind = 'fact' AND d.ref = new.id;
END;
--> statement-breakpoint
CREATE TRIGGER `search_facts_au` AFTER UPDATE OF statement, quote, speaker, company_id, retracted ON `facts`
WHEN old.statement IS NOT new.statement OR old.quote IS NOT new.quote OR old.speaker IS NOT new.speaker
	OR old.company_id IS NOT new.company_id OR old.retracted IS NOT new.retracted BEGIN
	DELETE FROM search_fts WHERE rowid = (SELECT id FROM search_docs WHERE kind = 'fact' AND ref = old.id);
	DELETE FROM search_docs WHERE kind = 'fact' AND ref = old.id;
	INSERT INTO search_docs (kind, ref) SELECT 'fact', new.id WHERE NOT new.retracted;
	INSERT INTO search_fts (rowid, kind, ref, company, title, body)
		SELECT d.id, 'fact', new.id, c.slug,
			replace(replace(new.statement, char(2), ' '), char(3), ' '),
			replace(replace(concat_ws(' ', new.quote, new.speaker, c.name), char(2), ' '), char(3), ' ')
		FROM search_docs d JOIN companies c ON c.id = new.company_id
		WHERE d.kind = 'fact' AND d.ref = new.id;
END;
--> statement-breakpoint
CREATE TRIGGER `search_facts_ad` AFTER DELETE ON `facts` BEGIN
	DELETE FROM search_fts WHERE rowid = (SELECT id FROM search_docs WHERE kind = 'fact' AND ref = old.id);
	DELETE FROM search_docs WHERE kind = 'fact' AND ref = old.id;
END;
--> statement-breakpoint
CREATE TRIGGER `search_companies_au` AFTER UPDATE OF name, slug ON `companies`
WHEN old.name IS NOT new.name OR old.slug IS NOT new.slug BEGIN
	DELETE FROM search_fts WHERE rowid IN (
		SELECT d.id FROM facts f JOIN search_docs d ON d.kind = 'fact' AND d.ref = f.id WHERE f.company_id = new.id
	);
	INSERT INTO search_fts (rowid, kind, ref, company, title, body)
		SELECT d.id, 'fact', f.id, new.slug,
			replace(replace(f.statement, char(2), ' '), char(3), ' '),
			replace(replace(concat_ws(' ', f.quote, f.speaker, new.name), char(2), ' '), char(3), ' ')
		FROM facts f JOIN search_docs d ON d.kind = 'fact' AND d.ref = f.id
		WHERE f.company_id = new.id;
END;
--> statement-breakpoint
-- Backfill what is already in the database.
INSERT INTO search_docs (kind, ref) SELECT 'article', CAST(id AS TEXT) FROM articles ORDER BY id;
--> statement-breakpoint
INSERT INTO search_docs (kind, ref) SELECT 'fact', id FROM facts WHERE NOT retracted ORDER BY id;
--> statement-breakpoint
INSERT INTO search_fts (rowid, kind, ref, company, title, body)
	SELECT d.id, 'article', d.ref, NULL,
		replace(replace(coalesce(a.title, ''), char(2), ' '), char(3), ' '),
		replace(replace(a.text, char(2), ' '), char(3), ' ')
	FROM articles a JOIN search_docs d ON d.kind = 'article' AND d.ref = CAST(a.id AS TEXT);
--> statement-breakpoint
INSERT INTO search_fts (rowid, kind, ref, company, title, body)
	SELECT d.id, 'fact', f.id, c.slug,
		replace(replace(f.statement, char(2), ' '), char(3), ' '),
		replace(replace(concat_ws(' ', f.quote, f.speaker, c.name), char(2), ' '), char(3), ' ')
	FROM facts f JOIN companies c ON c.id = f.company_id JOIN search_docs d ON d.kind = 'fact' AND d.ref = f.id;
