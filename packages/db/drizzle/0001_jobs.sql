CREATE TABLE `jobs` (
	`id` text PRIMARY KEY NOT NULL,
	`run_id` text NOT NULL,
	`task_id` text NOT NULL,
	`attempt_id` text NOT NULL,
	`attempt` integer NOT NULL,
	`status` text NOT NULL,
	`manifest` text NOT NULL,
	`base_commit` text,
	`commands` text NOT NULL,
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
CREATE INDEX `jobs_status_created_idx` ON `jobs` (`status`,`created_at`);--> statement-breakpoint
CREATE INDEX `jobs_run_idx` ON `jobs` (`run_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `runners_token_hash_idx` ON `runners` (`token_hash`);