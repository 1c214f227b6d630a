CREATE TABLE `national_decisions` (
	`application_id` text PRIMARY KEY NOT NULL,
	`decision` text NOT NULL,
	`date` text NOT NULL,
	`document_no` text NOT NULL,
	`note` text,
	`user_id` text,
	`at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`application_id`) REFERENCES `applications`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `objection_files` (
	`id` text PRIMARY KEY NOT NULL,
	`objection_id` integer NOT NULL,
	`filename` text NOT NULL,
	`mime` text NOT NULL,
	`size` integer NOT NULL,
	`sha256` text NOT NULL,
	`uploaded_by` text,
	`uploaded_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`objection_id`) REFERENCES `objections`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`uploaded_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `objection_files_objection` ON `objection_files` (`objection_id`);--> statement-breakpoint
CREATE TABLE `objections` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`batch_id` text NOT NULL,
	`application_id` text NOT NULL,
	`objector_kind` text NOT NULL,
	`objector_name` text NOT NULL,
	`contact` text NOT NULL,
	`grounds` text NOT NULL,
	`received_date` text NOT NULL,
	`status` text DEFAULT 'received' NOT NULL,
	`admission_reason` text,
	`admitted_at` text,
	`investigation` text,
	`rereview` integer DEFAULT false NOT NULL,
	`rereview_notes` text,
	`outcome` text,
	`outcome_notes` text,
	`reply` text,
	`replied_at` text,
	`user_id` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`batch_id`) REFERENCES `batches`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`application_id`) REFERENCES `applications`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `objections_batch` ON `objections` (`batch_id`);--> statement-breakpoint
CREATE INDEX `objections_application` ON `objections` (`application_id`);--> statement-breakpoint
CREATE TABLE `report_signatures` (
	`batch_id` text NOT NULL,
	`occupation` text NOT NULL,
	`type` text NOT NULL,
	`expert_id` text NOT NULL,
	`kind` text NOT NULL,
	`dissent` text,
	`method` text NOT NULL,
	`digest` text NOT NULL,
	`user_id` text,
	`signed_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	PRIMARY KEY(`batch_id`, `occupation`, `type`, `expert_id`),
	FOREIGN KEY (`batch_id`) REFERENCES `batches`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`occupation`) REFERENCES `occupations`(`key`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`expert_id`) REFERENCES `experts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `review_opinions` (
	`application_id` text PRIMARY KEY NOT NULL,
	`text` text NOT NULL,
	`user_id` text,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`application_id`) REFERENCES `applications`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `score_corrections` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`sheet_id` integer NOT NULL,
	`criterion_id` text,
	`rule` text NOT NULL,
	`old_value` real,
	`new_value` real,
	`reason` text NOT NULL,
	`user_id` text,
	`at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`sheet_id`) REFERENCES `score_sheets`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `score_corrections_sheet` ON `score_corrections` (`sheet_id`);--> statement-breakpoint
CREATE TABLE `vote_rounds` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`application_id` text NOT NULL,
	`motion` text NOT NULL,
	`opened_by` text,
	`opened_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`closed_by` text,
	`closed_at` text,
	`tally` text,
	FOREIGN KEY (`application_id`) REFERENCES `applications`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`opened_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`closed_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `vote_rounds_application` ON `vote_rounds` (`application_id`);--> statement-breakpoint
CREATE TABLE `votes` (
	`round_id` integer NOT NULL,
	`expert_id` text NOT NULL,
	`choice` text NOT NULL,
	`at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	PRIMARY KEY(`round_id`, `expert_id`),
	FOREIGN KEY (`round_id`) REFERENCES `vote_rounds`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`expert_id`) REFERENCES `experts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
ALTER TABLE `batches` ADD `publicity_closed_at` text;--> statement-breakpoint
ALTER TABLE `batches` ADD `lock_note` text;--> statement-breakpoint
ALTER TABLE `batches` ADD `objective_tolerance` real DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `rubric_criteria` ADD `objective` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `decisions` ADD `vote_round_id` integer REFERENCES vote_rounds(id);--> statement-breakpoint
ALTER TABLE `score_sheets` ADD `declared_total` real;