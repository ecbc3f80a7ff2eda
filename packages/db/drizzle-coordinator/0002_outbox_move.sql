-- Custom SQL migration file, put your code below! --
-- The rows the old outbox listed become one outbox_commits entry, in their outbox order, so
-- a run upgraded with changes D1 lacks still drains them.
INSERT INTO `outbox_commits` (`slot`, `gen`, `rows`)
SELECT 0, coalesce((SELECT `gen` FROM `read_model` WHERE `id` = 1), 0), json_group_array(json_array(`tbl`, `key`))
FROM (SELECT `tbl`, `key` FROM `outbox` ORDER BY `pos`)
HAVING count(*) > 0;
