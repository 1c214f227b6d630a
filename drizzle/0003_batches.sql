CREATE TABLE `attendance` (
	`day_id` integer NOT NULL,
	`expert_id` text NOT NULL,
	`status` text NOT NULL,
	`note` text,
	`user_id` text,
	`at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	PRIMARY KEY(`day_id`, `expert_id`),
	FOREIGN KEY (`day_id`) REFERENCES `meeting_days`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`expert_id`) REFERENCES `experts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `directory_entries` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`institution_id` text NOT NULL,
	`occupation` text NOT NULL,
	`type` text NOT NULL,
	`levels` text NOT NULL,
	`valid_from` text NOT NULL,
	`valid_to` text,
	`batch_id` text,
	`application_id` text,
	`document_no` text,
	`note` text,
	`user_id` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`institution_id`) REFERENCES `institutions`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`occupation`) REFERENCES `occupations`(`key`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`batch_id`) REFERENCES `batches`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`application_id`) REFERENCES `applications`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `directory_institution` ON `directory_entries` (`institution_id`);--> statement-breakpoint
CREATE TABLE `expert_affiliations` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`expert_id` text NOT NULL,
	`kind` text NOT NULL,
	`unit` text NOT NULL,
	`relation` text,
	`ended_on` text,
	`note` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`expert_id`) REFERENCES `experts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `expert_affiliations_expert` ON `expert_affiliations` (`expert_id`);--> statement-breakpoint
CREATE TABLE `expert_ratings` (
	`expert_id` text NOT NULL,
	`batch_id` text NOT NULL,
	`points` text NOT NULL,
	`total` real NOT NULL,
	`note` text,
	`user_id` text,
	`at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`reply` text,
	`replied_at` text,
	PRIMARY KEY(`expert_id`, `batch_id`),
	FOREIGN KEY (`expert_id`) REFERENCES `experts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`batch_id`) REFERENCES `batches`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `invitations` (
	`batch_id` text NOT NULL,
	`expert_id` text NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`reason` text,
	`responded_at` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	PRIMARY KEY(`batch_id`, `expert_id`),
	FOREIGN KEY (`batch_id`) REFERENCES `batches`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`expert_id`) REFERENCES `experts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `meeting_days` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`batch_id` text NOT NULL,
	`date` text NOT NULL,
	`length` real DEFAULT 1 NOT NULL,
	`note` text,
	FOREIGN KEY (`batch_id`) REFERENCES `batches`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `meeting_days_date` ON `meeting_days` (`batch_id`,`date`);--> statement-breakpoint
CREATE TABLE `replacements` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`application_id` text NOT NULL,
	`from_expert_id` text NOT NULL,
	`to_expert_id` text,
	`cause` text NOT NULL,
	`reason` text,
	`draw_id` integer,
	`user_id` text,
	`at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`application_id`) REFERENCES `applications`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`from_expert_id`) REFERENCES `experts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`to_expert_id`) REFERENCES `experts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`draw_id`) REFERENCES `draws`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `replacements_application` ON `replacements` (`application_id`);--> statement-breakpoint
ALTER TABLE `batches` ADD `archived_at` text;--> statement-breakpoint
ALTER TABLE `batches` ADD `copied_from` text;--> statement-breakpoint
ALTER TABLE `batches` ADD `reply_deadline` text;--> statement-breakpoint
ALTER TABLE `batches` ADD `min_expert_rating` real;--> statement-breakpoint
ALTER TABLE `batches` ADD `fee_standard` text;--> statement-breakpoint
ALTER TABLE `draws` ADD `excluded` text;--> statement-breakpoint
ALTER TABLE `draws` ADD `confirmed_by` text REFERENCES users(id);--> statement-breakpoint
ALTER TABLE `draws` ADD `confirmed_at` text;--> statement-breakpoint
ALTER TABLE `experts` ADD `id_number` text;--> statement-breakpoint
ALTER TABLE `experts` ADD `id_number_digest` text;--> statement-breakpoint
CREATE TRIGGER `gen_expert_affiliations_insert` AFTER INSERT ON `expert_affiliations` BEGIN UPDATE `generations` SET `n` = `n` + 1 WHERE `name` = 'intake'; END;--> statement-breakpoint
CREATE TRIGGER `gen_expert_affiliations_update` AFTER UPDATE ON `expert_affiliations` BEGIN UPDATE `generations` SET `n` = `n` + 1 WHERE `name` = 'intake'; END;--> statement-breakpoint
CREATE TRIGGER `gen_expert_affiliations_delete` AFTER DELETE ON `expert_affiliations` BEGIN UPDATE `generations` SET `n` = `n` + 1 WHERE `name` = 'intake'; END;--> statement-breakpoint
CREATE TRIGGER `gen_directory_entries_insert` AFTER INSERT ON `directory_entries` BEGIN UPDATE `generations` SET `n` = `n` + 1 WHERE `name` = 'intake'; END;--> statement-breakpoint
CREATE TRIGGER `gen_directory_entries_update` AFTER UPDATE ON `directory_entries` BEGIN UPDATE `generations` SET `n` = `n` + 1 WHERE `name` = 'intake'; END;--> statement-breakpoint
CREATE TRIGGER `gen_directory_entries_delete` AFTER DELETE ON `directory_entries` BEGIN UPDATE `generations` SET `n` = `n` + 1 WHERE `name` = 'intake'; END;
