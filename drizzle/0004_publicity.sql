ALTER TABLE `batches` ADD `publicity_start` text;--> statement-breakpoint
ALTER TABLE `batches` ADD `publicity_end` text;--> statement-breakpoint
ALTER TABLE `batches` ADD `publicity_days` integer;