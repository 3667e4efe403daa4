ALTER TABLE `articles` ADD `extraction_attempts` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `articles` ADD `extraction_error` text;