CREATE TABLE `__new_jobs` (
	`id` text PRIMARY KEY NOT NULL,
	`run_id` text NOT NULL,
	`kind` text DEFAULT 'candidate' NOT NULL,
	`task_id` text,
	`attempt_id` text,
	`attempt` integer,
	`status` text NOT NULL,
	`manifest` text NOT NULL,
	`base_commit` text,
	`commands` text NOT NULL,
	`verify` text DEFAULT '{"setup":[],"setupInputs":null,"reports":[],"signals":[],"workspace":"default"}' NOT NULL,
	`timeout_seconds` integer NOT NULL,
	`lease_seconds` integer NOT NULL,
	`labels` text NOT NULL,
	`runner_id` text,
	`lease_expires_at` text,
	`claims` integer DEFAULT 0 NOT NULL,
	`exit_code` integer,
	`timed_out` integer DEFAULT false NOT NULL,
	`duration_ms` integer,
	`tail` text,
	`log_key` text NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`run_id`) REFERENCES `runs`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`task_id`) REFERENCES `tasks`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
INSERT INTO `__new_jobs`("id", "run_id", "task_id", "attempt_id", "attempt", "status", "manifest", "base_commit", "commands", "timeout_seconds", "lease_seconds", "labels", "runner_id", "lease_expires_at", "claims", "exit_code", "timed_out", "duration_ms", "tail", "log_key", "created_at", "updated_at") SELECT "id", "run_id", "task_id", "attempt_id", "attempt", "status", "manifest", "base_commit", "commands", "timeout_seconds", "lease_seconds", "labels", "runner_id", "lease_expires_at", "claims", "exit_code", "timed_out", "duration_ms", "tail", "log_key", "created_at", "updated_at" FROM `jobs`;--> statement-breakpoint
DROP TABLE `jobs`;--> statement-breakpoint
ALTER TABLE `__new_jobs` RENAME TO `jobs`;--> statement-breakpoint
CREATE INDEX `jobs_status_created_idx` ON `jobs` (`status`,`created_at`);--> statement-breakpoint
CREATE INDEX `jobs_run_idx` ON `jobs` (`run_id`);--> statement-breakpoint
ALTER TABLE `runs` ADD `verify_setup` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `runs` ADD `verify_setup_inputs` text;--> statement-breakpoint
ALTER TABLE `runs` ADD `verify_reports` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `runs` ADD `repository` text;--> statement-breakpoint
ALTER TABLE `runs` ADD `verification` text;