CREATE TABLE `artifacts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`run_id` text NOT NULL,
	`task_id` text,
	`attempt_id` text,
	`kind` text NOT NULL,
	`r2_key` text NOT NULL,
	`sha256` text NOT NULL,
	`bytes` integer NOT NULL,
	`created_at` text NOT NULL,
	FOREIGN KEY (`run_id`) REFERENCES `runs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `artifacts_run_task_idx` ON `artifacts` (`run_id`,`task_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `artifacts_r2_key_idx` ON `artifacts` (`r2_key`);--> statement-breakpoint
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
CREATE TABLE `batch_guard` (
	`code` text NOT NULL,
	CONSTRAINT "version_conflict" CHECK("batch_guard"."code" <> 'version_conflict')
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
CREATE TABLE `runners` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`labels` text NOT NULL,
	`token_hash` text NOT NULL,
	`last_seen_at` text,
	`created_at` text NOT NULL
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
CREATE TABLE `schedules` (
	`id` text PRIMARY KEY NOT NULL,
	`cron` text NOT NULL,
	`goal` text NOT NULL,
	`config` text NOT NULL,
	`enabled` integer DEFAULT true NOT NULL,
	`last_run_at` text,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `task_deps` (
	`task_id` text NOT NULL,
	`depends_on_id` text NOT NULL,
	PRIMARY KEY(`task_id`, `depends_on_id`),
	FOREIGN KEY (`task_id`) REFERENCES `tasks`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`depends_on_id`) REFERENCES `tasks`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `task_deps_depends_on_idx` ON `task_deps` (`depends_on_id`);--> statement-breakpoint
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
CREATE UNIQUE INDEX `tasks_run_plan_id_idx` ON `tasks` (`run_id`,`plan_id`);