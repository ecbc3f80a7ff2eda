CREATE TABLE `outbox_commits` (
	`slot` integer PRIMARY KEY NOT NULL,
	`gen` integer NOT NULL,
	`rows` text NOT NULL
);
--> statement-breakpoint
ALTER TABLE `read_model` ADD `outbox_from` integer DEFAULT 0 NOT NULL;