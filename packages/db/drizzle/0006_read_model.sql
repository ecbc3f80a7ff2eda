ALTER TABLE `tasks` ADD `depends_on` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
UPDATE `tasks` SET `depends_on` = (SELECT json_group_array(`depends_on_id` ORDER BY `rowid`) FROM `task_deps` WHERE `task_deps`.`task_id` = `tasks`.`id`) WHERE `id` IN (SELECT `task_id` FROM `task_deps`);--> statement-breakpoint
DROP TABLE `task_deps`;--> statement-breakpoint
DELETE FROM `cost_events` WHERE `id` NOT IN (SELECT min(`id`) FROM `cost_events` GROUP BY `run_id`, coalesce(`attempt_id`, ''), `step`);--> statement-breakpoint
CREATE UNIQUE INDEX `cost_events_call_idx` ON `cost_events` (`run_id`,coalesce(`attempt_id`, ''),`step`);
