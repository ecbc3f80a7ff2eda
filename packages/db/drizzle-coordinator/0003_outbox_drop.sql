DROP TABLE `outbox`;--> statement-breakpoint
ALTER TABLE `read_model` DROP COLUMN `gen`;--> statement-breakpoint
ALTER TABLE `read_model` DROP COLUMN `pos`;