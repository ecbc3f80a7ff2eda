DROP TABLE `outbox`;--> statement-breakpoint
DROP INDEX `cost_events_run_idx`;--> statement-breakpoint
DROP INDEX `cost_events_task_idx`;--> statement-breakpoint
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_audit_events` (
	`run_id` text NOT NULL,
	`seq` integer PRIMARY KEY NOT NULL,
	`at` text NOT NULL,
	`actor` text NOT NULL,
	`action` text NOT NULL,
	`data` text NOT NULL,
	`prev_hmac` text NOT NULL,
	`hmac` text NOT NULL,
	FOREIGN KEY (`run_id`) REFERENCES `runs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
INSERT INTO `__new_audit_events`("run_id", "seq", "at", "actor", "action", "data", "prev_hmac", "hmac") SELECT "run_id", "seq", "at", "actor", "action", "data", "prev_hmac", "hmac" FROM `audit_events`;--> statement-breakpoint
DROP TABLE `audit_events`;--> statement-breakpoint
ALTER TABLE `__new_audit_events` RENAME TO `audit_events`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE TABLE `__new_events` (
	`run_id` text NOT NULL,
	`seq` integer PRIMARY KEY NOT NULL,
	`at` text NOT NULL,
	`type` text NOT NULL,
	`task_id` text,
	`data` text NOT NULL,
	FOREIGN KEY (`run_id`) REFERENCES `runs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
INSERT INTO `__new_events`("run_id", "seq", "at", "type", "task_id", "data") SELECT "run_id", "seq", "at", "type", "task_id", "data" FROM `events`;--> statement-breakpoint
DROP TABLE `events`;--> statement-breakpoint
ALTER TABLE `__new_events` RENAME TO `events`;--> statement-breakpoint
ALTER TABLE `read_model` DROP COLUMN `gen`;--> statement-breakpoint
ALTER TABLE `read_model` DROP COLUMN `pos`;