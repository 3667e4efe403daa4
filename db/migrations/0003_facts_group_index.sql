DROP INDEX `facts_company_kind_idx`;--> statement-breakpoint
CREATE INDEX `facts_company_kind_as_of_idx` ON `facts` (`company_id`,`kind`,`as_of`);