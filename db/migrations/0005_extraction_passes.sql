CREATE TABLE `extraction_passes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`extractor` text NOT NULL,
	`articles` integer DEFAULT 0 NOT NULL,
	`started_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`finished_at` text
);
--> statement-breakpoint
CREATE TABLE `reconcile_queue` (
	`company_id` integer NOT NULL,
	`kind` text NOT NULL,
	`bucket` text NOT NULL,
	PRIMARY KEY(`company_id`, `kind`, `bucket`),
	FOREIGN KEY (`company_id`) REFERENCES `companies`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
DROP INDEX `articles_extraction_idx`;--> statement-breakpoint
ALTER TABLE `articles` ADD `extraction_pass` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `articles` ADD `extraction_lease_owner` text;--> statement-breakpoint
ALTER TABLE `articles` ADD `extraction_lease_expires_at` text;--> statement-breakpoint
CREATE INDEX `articles_extraction_pass_idx` ON `articles` (`extraction_pass`,`extraction_lease_expires_at`,`extraction_lease_owner`);--> statement-breakpoint
CREATE INDEX `articles_extraction_idx` ON `articles` (`extraction_status`,`extraction_lease_expires_at`,`extraction_lease_owner`);