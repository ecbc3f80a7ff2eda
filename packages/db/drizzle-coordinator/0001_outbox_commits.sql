CREATE TABLE `outbox_commits` (
	`gen` integer PRIMARY KEY NOT NULL,
	`rows` text NOT NULL
);
