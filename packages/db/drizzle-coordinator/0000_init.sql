CREATE TABLE `attempts` (
	`id` text PRIMARY KEY NOT NULL,
	`run_id` text NOT NULL,
	`task_id` text NOT NULL,
	`n` integer NOT NULL,
	`status` text NOT NULL,
	`model` text NOT NULL,
	`base_seq` integer NOT NULL,
	`turns` integer DEFAULT 0 NOT NULL,
	`tokens_in` integer DEFAULT 0 NOT NULL,
	`tokens_out` integer DEFAULT 0 NOT NULL,
	`tokens_cached` integer DEFAULT 0 NOT NULL,
	`cost_usd` real DEFAULT 0 NOT NULL,
	`patch_key` text,
	`patch_sha256` text,
	`result_manifest` text,
	`summary` text,
	`error` text,
	`started_at` text NOT NULL,
	`finished_at` text,
	FOREIGN KEY (`run_id`) REFERENCES `runs`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`task_id`) REFERENCES `tasks`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `attempts_task_n_idx` ON `attempts` (`task_id`,`n`);--> statement-breakpoint
CREATE INDEX `attempts_run_idx` ON `attempts` (`run_id`);--> statement-breakpoint
CREATE TABLE `audit_events` (
	`run_id` text NOT NULL,
	`seq` integer NOT NULL,
	`at` text NOT NULL,
	`actor` text NOT NULL,
	`action` text NOT NULL,
	`data` text NOT NULL,
	`prev_hmac` text NOT NULL,
	`hmac` text NOT NULL,
	PRIMARY KEY(`run_id`, `seq`),
	FOREIGN KEY (`run_id`) REFERENCES `runs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `coordinator_memory` (
	`id` integer PRIMARY KEY NOT NULL,
	`data` text NOT NULL,
	CONSTRAINT "coordinator_memory_one_row" CHECK("coordinator_memory"."id" = 1)
);
--> statement-breakpoint
CREATE TABLE `cost_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`run_id` text NOT NULL,
	`task_id` text,
	`attempt_id` text,
	`step` text NOT NULL,
	`model` text NOT NULL,
	`tokens_in` integer NOT NULL,
	`tokens_out` integer NOT NULL,
	`cache_read_tokens` integer NOT NULL,
	`cache_write_tokens` integer NOT NULL,
	`cost_usd` real NOT NULL,
	`at` text NOT NULL,
	FOREIGN KEY (`run_id`) REFERENCES `runs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `cost_events_run_idx` ON `cost_events` (`run_id`);--> statement-breakpoint
CREATE INDEX `cost_events_task_idx` ON `cost_events` (`task_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `cost_events_call_idx` ON `cost_events` (`run_id`,coalesce(`attempt_id`, ''),`step`);--> statement-breakpoint
CREATE TABLE `events` (
	`run_id` text NOT NULL,
	`seq` integer NOT NULL,
	`at` text NOT NULL,
	`type` text NOT NULL,
	`task_id` text,
	`data` text NOT NULL,
	PRIMARY KEY(`run_id`, `seq`),
	FOREIGN KEY (`run_id`) REFERENCES `runs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `jobs` (
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
CREATE INDEX `jobs_status_created_idx` ON `jobs` (`status`,`created_at`);--> statement-breakpoint
CREATE INDEX `jobs_run_idx` ON `jobs` (`run_id`);--> statement-breakpoint
CREATE TABLE `outbox` (
	`tbl` text NOT NULL,
	`key` text NOT NULL,
	`pos` integer NOT NULL,
	`gen` integer NOT NULL,
	PRIMARY KEY(`tbl`, `key`)
);
--> statement-breakpoint
CREATE INDEX `outbox_pos_idx` ON `outbox` (`pos`);--> statement-breakpoint
CREATE TABLE `read_model` (
	`id` integer PRIMARY KEY NOT NULL,
	`gen` integer NOT NULL,
	`pos` integer NOT NULL,
	`event_seq` integer NOT NULL,
	`audit_seq` integer NOT NULL,
	`cost_id` integer NOT NULL,
	CONSTRAINT "read_model_one_row" CHECK("read_model"."id" = 1)
);
--> statement-breakpoint
CREATE TABLE `runs` (
	`id` text PRIMARY KEY NOT NULL,
	`goal` text NOT NULL,
	`status` text NOT NULL,
	`model` text NOT NULL,
	`planner_model` text NOT NULL,
	`max_agents` integer NOT NULL,
	`max_retries` integer NOT NULL,
	`budget_usd` real,
	`spent_usd` real DEFAULT 0 NOT NULL,
	`base_snapshot` text NOT NULL,
	`base_commit` text,
	`verify_commands` text NOT NULL,
	`verify_setup` text DEFAULT '[]' NOT NULL,
	`verify_setup_inputs` text,
	`verify_reports` text DEFAULT '[]' NOT NULL,
	`repository` text,
	`verification` text,
	`commands` text,
	`approve_all` integer NOT NULL,
	`integration_seq` integer DEFAULT 0 NOT NULL,
	`integration_manifest` text NOT NULL,
	`error` text,
	`idempotency_key` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`finished_at` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `runs_idempotency_key_idx` ON `runs` (`idempotency_key`);--> statement-breakpoint
CREATE INDEX `runs_created_at_idx` ON `runs` (`created_at`);--> statement-breakpoint
CREATE INDEX `runs_status_created_at_idx` ON `runs` (`status`,`created_at`);--> statement-breakpoint
CREATE TABLE `task_feedback` (
	`task_id` text PRIMARY KEY NOT NULL,
	`text` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `tasks` (
	`id` text PRIMARY KEY NOT NULL,
	`run_id` text NOT NULL,
	`plan_id` text NOT NULL,
	`title` text NOT NULL,
	`description` text NOT NULL,
	`role` text NOT NULL,
	`priority` integer NOT NULL,
	`order` integer NOT NULL,
	`status` text NOT NULL,
	`version` integer DEFAULT 0 NOT NULL,
	`depends_on` text DEFAULT '[]' NOT NULL,
	`owned_files` text NOT NULL,
	`completion_signals` text NOT NULL,
	`approval_required` integer NOT NULL,
	`max_cost_usd` real,
	`attempt` integer DEFAULT 0 NOT NULL,
	`cost_usd` real DEFAULT 0 NOT NULL,
	`summary` text,
	`error` text,
	`merged_seq` integer,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`run_id`) REFERENCES `runs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `tasks_run_status_idx` ON `tasks` (`run_id`,`status`);--> statement-breakpoint
CREATE INDEX `tasks_run_order_idx` ON `tasks` (`run_id`,`order`);--> statement-breakpoint
CREATE UNIQUE INDEX `tasks_run_plan_id_idx` ON `tasks` (`run_id`,`plan_id`);--> statement-breakpoint
CREATE TABLE `timers` (
	`kind` text NOT NULL,
	`key` text NOT NULL,
	`due_at` integer NOT NULL,
	PRIMARY KEY(`kind`, `key`)
);
--> statement-breakpoint
CREATE INDEX `timers_due_idx` ON `timers` (`due_at`);