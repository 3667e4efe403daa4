CREATE TABLE `article_fingerprints` (
	`fp` text NOT NULL,
	`article_id` integer NOT NULL,
	PRIMARY KEY(`fp`, `article_id`),
	FOREIGN KEY (`article_id`) REFERENCES `articles`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `article_fingerprints_article_idx` ON `article_fingerprints` (`article_id`);--> statement-breakpoint
CREATE TABLE `article_revisions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`article_id` integer NOT NULL,
	`revision` integer NOT NULL,
	`fetched_at` text NOT NULL,
	`title` text,
	`text` text NOT NULL,
	`content_hash` text NOT NULL,
	`raw_html` blob,
	FOREIGN KEY (`article_id`) REFERENCES `articles`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `article_revisions_uq` ON `article_revisions` (`article_id`,`revision`);--> statement-breakpoint
CREATE TABLE `articles` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`key` text NOT NULL,
	`url` text,
	`feed_id` integer,
	`guid` text,
	`title` text,
	`outlet` text,
	`author` text,
	`language` text,
	`description` text,
	`published_at` text,
	`modified_at` text,
	`first_seen_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`fetched_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`text` text NOT NULL,
	`word_count` integer DEFAULT 0 NOT NULL,
	`content_hash` text NOT NULL,
	`simhash` text NOT NULL,
	`copy_of_id` integer,
	`paywalled` integer DEFAULT false NOT NULL,
	`truncated` integer DEFAULT false NOT NULL,
	`flags` text DEFAULT '[]' NOT NULL,
	`text_source` text DEFAULT 'page' NOT NULL,
	`revision` integer DEFAULT 1 NOT NULL,
	`etag` text,
	`last_modified` text,
	`extraction_status` text DEFAULT 'pending' NOT NULL,
	`extracted_at` text,
	FOREIGN KEY (`feed_id`) REFERENCES `feeds`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`copy_of_id`) REFERENCES `articles`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `articles_key_uq` ON `articles` (`key`);--> statement-breakpoint
CREATE INDEX `articles_hash_idx` ON `articles` (`content_hash`);--> statement-breakpoint
CREATE INDEX `articles_published_idx` ON `articles` (`published_at`);--> statement-breakpoint
CREATE INDEX `articles_extraction_idx` ON `articles` (`extraction_status`);--> statement-breakpoint
CREATE INDEX `articles_copy_of_idx` ON `articles` (`copy_of_id`);--> statement-breakpoint
CREATE TABLE `companies` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`slug` text NOT NULL,
	`name` text NOT NULL,
	`aliases` text DEFAULT '[]' NOT NULL,
	`ticker` text,
	`origin` text DEFAULT 'text' NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `companies_slug_uq` ON `companies` (`slug`);--> statement-breakpoint
CREATE TABLE `fact_sources` (
	`fact_id` text NOT NULL,
	`article_id` integer NOT NULL,
	`revision` integer NOT NULL,
	`evidence` text NOT NULL,
	`start` integer NOT NULL,
	`end` integer NOT NULL,
	`partial` integer DEFAULT false NOT NULL,
	`extractor` text NOT NULL,
	PRIMARY KEY(`fact_id`, `article_id`, `revision`, `start`),
	FOREIGN KEY (`fact_id`) REFERENCES `facts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`article_id`) REFERENCES `articles`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `fact_sources_article_idx` ON `fact_sources` (`article_id`);--> statement-breakpoint
CREATE TABLE `facts` (
	`id` text PRIMARY KEY NOT NULL,
	`company_id` integer NOT NULL,
	`kind` text NOT NULL,
	`value` real,
	`value_high` real,
	`unit` text,
	`direction` text,
	`change_pct` real,
	`approximate` integer DEFAULT false NOT NULL,
	`label` text,
	`status` text,
	`as_of` text,
	`speaker` text,
	`quote` text,
	`statement` text NOT NULL,
	`extractor` text NOT NULL,
	`confidence` real NOT NULL,
	`corroboration` text DEFAULT 'single-source' NOT NULL,
	`retracted` integer DEFAULT false NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`company_id`) REFERENCES `companies`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `facts_company_kind_idx` ON `facts` (`company_id`,`kind`);--> statement-breakpoint
CREATE INDEX `facts_as_of_idx` ON `facts` (`as_of`);--> statement-breakpoint
CREATE TABLE `feed_items` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`feed_id` integer NOT NULL,
	`guid` text NOT NULL,
	`url` text,
	`title` text,
	`author` text,
	`published_at` text,
	`updated_at` text,
	`content_text` text,
	`item_hash` text NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`last_error` text,
	`article_id` integer,
	`discovered_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`processed_at` text,
	FOREIGN KEY (`feed_id`) REFERENCES `feeds`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`article_id`) REFERENCES `articles`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `feed_items_feed_guid_uq` ON `feed_items` (`feed_id`,`guid`);--> statement-breakpoint
CREATE INDEX `feed_items_status_idx` ON `feed_items` (`status`,`feed_id`);--> statement-breakpoint
CREATE INDEX `feed_items_article_idx` ON `feed_items` (`article_id`);--> statement-breakpoint
CREATE TABLE `feeds` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`url` text NOT NULL,
	`title` text,
	`site_url` text,
	`category` text,
	`format` text,
	`etag` text,
	`last_modified` text,
	`ttl_minutes` integer,
	`last_fetched_at` text,
	`last_success_at` text,
	`next_fetch_at` text,
	`error_count` integer DEFAULT 0 NOT NULL,
	`last_error` text,
	`last_error_at` text,
	`lease_owner` text,
	`lease_expires_at` text,
	`disabled` integer DEFAULT false NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `feeds_url_uq` ON `feeds` (`url`);--> statement-breakpoint
CREATE INDEX `feeds_next_fetch_idx` ON `feeds` (`next_fetch_at`);--> statement-breakpoint
CREATE TABLE `llm_cache` (
	`key` text PRIMARY KEY NOT NULL,
	`model` text NOT NULL,
	`prompt_version` text NOT NULL,
	`text_hash` text NOT NULL,
	`response` text NOT NULL,
	`prompt_tokens` integer DEFAULT 0 NOT NULL,
	`completion_tokens` integer DEFAULT 0 NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `run_failures` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`run_id` integer NOT NULL,
	`scope` text NOT NULL,
	`feed_id` integer,
	`url` text,
	`code` text NOT NULL,
	`message` text NOT NULL,
	`at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`run_id`) REFERENCES `runs`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`feed_id`) REFERENCES `feeds`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `run_failures_run_idx` ON `run_failures` (`run_id`);--> statement-breakpoint
CREATE TABLE `runs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`kind` text NOT NULL,
	`status` text DEFAULT 'running' NOT NULL,
	`worker` text,
	`pid` integer,
	`started_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`finished_at` text,
	`stats` text DEFAULT '{}' NOT NULL,
	`error` text
);
--> statement-breakpoint
CREATE INDEX `runs_started_idx` ON `runs` (`started_at`);--> statement-breakpoint
CREATE TABLE `summaries` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`subject` text NOT NULL,
	`article_id` integer,
	`company_id` integer,
	`text` text NOT NULL,
	`extractor` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`article_id`) REFERENCES `articles`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`company_id`) REFERENCES `companies`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `summaries_article_uq` ON `summaries` (`article_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `summaries_company_uq` ON `summaries` (`company_id`);