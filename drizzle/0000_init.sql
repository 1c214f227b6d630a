CREATE TABLE `alternates` (
	`application_id` text NOT NULL,
	`expert_id` text NOT NULL,
	`rank` integer NOT NULL,
	`draw_id` integer,
	PRIMARY KEY(`application_id`, `expert_id`),
	FOREIGN KEY (`application_id`) REFERENCES `applications`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`expert_id`) REFERENCES `experts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`draw_id`) REFERENCES `draws`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `applications` (
	`id` text PRIMARY KEY NOT NULL,
	`batch_id` text NOT NULL,
	`institution_id` text NOT NULL,
	`type` text NOT NULL,
	`occupation` text NOT NULL,
	`region` text NOT NULL,
	`levels` text NOT NULL,
	`has_lead` integer DEFAULT false NOT NULL,
	`lead_name` text,
	`lead_title` text,
	`lead_phone` text,
	`lead_email` text,
	`has_contact` integer DEFAULT false NOT NULL,
	`contact_name` text,
	`contact_title` text,
	`contact_phone` text,
	`contact_email` text,
	`overview` text,
	`platform` text,
	`past_work` text,
	`team_mechanism` text,
	`plan` text,
	`conducts_evaluation` integer,
	`issues_certificates` integer,
	`certificate_category` text,
	`has_team` integer DEFAULT false NOT NULL,
	`team_total` integer,
	`team_full_time` integer,
	`team_part_time` integer,
	`team_assessors` integer,
	`team_supervisors` integer,
	`has_planned` integer DEFAULT false NOT NULL,
	`planned_junior` integer,
	`planned_intermediate` integer,
	`planned_senior` integer,
	`has_fees` integer DEFAULT false NOT NULL,
	`fee_junior` real,
	`fee_intermediate` real,
	`fee_senior` real,
	`has_attachments` integer DEFAULT false NOT NULL,
	`att_registration_certificate` integer,
	`att_credit_report` integer,
	`att_integrity_commitment` integer,
	`has_recommendation` integer DEFAULT false NOT NULL,
	`recommendation_reason` text,
	`recommendation_unit` text,
	`recommendation_date` text,
	`status` text DEFAULT 'submitted' NOT NULL,
	`status_reason` text,
	`submitted_at` text,
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`batch_id`) REFERENCES `batches`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`institution_id`) REFERENCES `institutions`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`occupation`) REFERENCES `occupations`(`key`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`region`) REFERENCES `regions`(`key`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `applications_cell` ON `applications` (`region`,`occupation`,`type`);--> statement-breakpoint
CREATE INDEX `applications_institution` ON `applications` (`institution_id`);--> statement-breakpoint
CREATE INDEX `applications_occupation` ON `applications` (`occupation`,`type`);--> statement-breakpoint
CREATE INDEX `applications_batch` ON `applications` (`batch_id`);--> statement-breakpoint
CREATE TABLE `assignments` (
	`application_id` text NOT NULL,
	`expert_id` text NOT NULL,
	`source` text DEFAULT 'import' NOT NULL,
	`draw_id` integer,
	`reason` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	PRIMARY KEY(`application_id`, `expert_id`),
	FOREIGN KEY (`application_id`) REFERENCES `applications`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`expert_id`) REFERENCES `experts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`draw_id`) REFERENCES `draws`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `assignments_expert` ON `assignments` (`expert_id`);--> statement-breakpoint
CREATE TABLE `attachments` (
	`id` text PRIMARY KEY NOT NULL,
	`application_id` text NOT NULL,
	`kind` text NOT NULL,
	`filename` text NOT NULL,
	`mime` text NOT NULL,
	`size` integer NOT NULL,
	`sha256` text NOT NULL,
	`uploaded_by` text,
	`uploaded_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`application_id`) REFERENCES `applications`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`uploaded_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `attachments_application` ON `attachments` (`application_id`);--> statement-breakpoint
CREATE TABLE `audit_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` text NOT NULL,
	`user_id` text,
	`actor` text NOT NULL,
	`action` text NOT NULL,
	`entity` text,
	`entity_id` text,
	`detail` text,
	`prev_hash` text NOT NULL,
	`hash` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `audit_entity` ON `audit_log` (`entity`,`entity_id`);--> statement-breakpoint
CREATE INDEX `audit_action` ON `audit_log` (`action`);--> statement-breakpoint
CREATE TABLE `batches` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`deadline` text,
	`founded_on_or_before` text,
	`min_annual_scale` integer,
	`closed_evaluation_occupations` text NOT NULL,
	`quotas` text NOT NULL,
	`aggregation` text NOT NULL,
	`scoring_deadline` text,
	`per_application` integer DEFAULT 5 NOT NULL,
	`max_load` integer,
	`one_per_unit` integer DEFAULT false NOT NULL,
	`assignments_published_at` text,
	`meeting` text,
	`results_locked_at` text,
	`results_hash` text,
	`memo` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `commitments` (
	`expert_id` text NOT NULL,
	`batch_id` text NOT NULL,
	`accepted_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`text_hash` text NOT NULL,
	PRIMARY KEY(`expert_id`, `batch_id`),
	FOREIGN KEY (`expert_id`) REFERENCES `experts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`batch_id`) REFERENCES `batches`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `conflict_reviews` (
	`application_id` text NOT NULL,
	`expert_id` text NOT NULL,
	`code` text NOT NULL,
	`decision` text NOT NULL,
	`reason` text NOT NULL,
	`user_id` text,
	`at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	PRIMARY KEY(`application_id`, `expert_id`, `code`),
	FOREIGN KEY (`application_id`) REFERENCES `applications`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`expert_id`) REFERENCES `experts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `rubric_criteria` (
	`rubric_id` text NOT NULL,
	`id` text NOT NULL,
	`position` integer NOT NULL,
	`name` text NOT NULL,
	`max_points` real NOT NULL,
	`guidance` text,
	PRIMARY KEY(`rubric_id`, `id`),
	FOREIGN KEY (`rubric_id`) REFERENCES `rubrics`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `decisions` (
	`application_id` text PRIMARY KEY NOT NULL,
	`decision` text NOT NULL,
	`reason` text,
	`user_id` text,
	`at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`application_id`) REFERENCES `applications`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `declarations` (
	`application_id` text NOT NULL,
	`expert_id` text NOT NULL,
	`ground` text DEFAULT 'other' NOT NULL,
	`reason` text NOT NULL,
	`at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	PRIMARY KEY(`application_id`, `expert_id`),
	FOREIGN KEY (`application_id`) REFERENCES `applications`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`expert_id`) REFERENCES `experts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `declarations_expert` ON `declarations` (`expert_id`);--> statement-breakpoint
CREATE TABLE `draws` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`batch_id` text NOT NULL,
	`seed` text NOT NULL,
	`scope` text NOT NULL,
	`per_application` integer NOT NULL,
	`max_load` integer,
	`one_per_unit` integer DEFAULT false NOT NULL,
	`made` integer NOT NULL,
	`summary` text,
	`user_id` text,
	`at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`batch_id`) REFERENCES `batches`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `application_evaluation_years` (
	`application_id` text NOT NULL,
	`position` integer NOT NULL,
	`year` integer NOT NULL,
	`certificate` text,
	`own` integer,
	`issued` integer,
	PRIMARY KEY(`application_id`, `position`),
	FOREIGN KEY (`application_id`) REFERENCES `applications`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `experts` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`work_unit` text,
	`title` text,
	`occupations` text NOT NULL,
	`region` text,
	`phone` text,
	`email` text,
	`active` integer DEFAULT true NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`region`) REFERENCES `regions`(`key`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `finding_overrides` (
	`application_id` text NOT NULL,
	`code` text NOT NULL,
	`reason` text NOT NULL,
	`user_id` text,
	`at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	PRIMARY KEY(`application_id`, `code`),
	FOREIGN KEY (`application_id`) REFERENCES `applications`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `institution_taxes` (
	`institution_id` text NOT NULL,
	`position` integer NOT NULL,
	`year` integer NOT NULL,
	`amount` real,
	`dishonest` integer,
	PRIMARY KEY(`institution_id`, `position`),
	FOREIGN KEY (`institution_id`) REFERENCES `institutions`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `institutions` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`uscc` text,
	`legal_rep_name` text,
	`legal_rep_id_number` text,
	`has_legal_rep` integer DEFAULT false NOT NULL,
	`address` text,
	`unit_type` text,
	`industry` text,
	`registered_capital` real,
	`employees` integer,
	`founded` text,
	`has_bases` integer DEFAULT false NOT NULL,
	`base_national_ce` integer,
	`base_industry_ce` integer,
	`base_provincial_ce` integer,
	`base_standard_developer` integer,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `institutions_uscc` ON `institutions` (`uscc`);--> statement-breakpoint
CREATE TABLE `occupations` (
	`key` text PRIMARY KEY NOT NULL,
	`label` text NOT NULL,
	`position` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `application_people` (
	`application_id` text NOT NULL,
	`position` integer NOT NULL,
	`role` text NOT NULL,
	`name` text NOT NULL,
	`work_unit` text,
	`title` text,
	`specialty` text,
	`full_time` integer,
	`phone` text,
	PRIMARY KEY(`application_id`, `position`),
	FOREIGN KEY (`application_id`) REFERENCES `applications`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `people_name` ON `application_people` (`name`);--> statement-breakpoint
CREATE TABLE `regions` (
	`key` text PRIMARY KEY NOT NULL,
	`label` text NOT NULL,
	`unit` text NOT NULL,
	`position` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `rubrics` (
	`id` text PRIMARY KEY NOT NULL,
	`batch_id` text NOT NULL,
	`type` text NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	`frozen_at` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`batch_id`) REFERENCES `batches`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `rubrics_type` ON `rubrics` (`batch_id`,`type`);--> statement-breakpoint
CREATE TABLE `sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`expires_at` integer NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `sessions_user` ON `sessions` (`user_id`);--> statement-breakpoint
CREATE TABLE `sheet_history` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`sheet_id` integer NOT NULL,
	`round` integer NOT NULL,
	`total` real NOT NULL,
	`points` text NOT NULL,
	`comment` text,
	`returned_reason` text,
	`at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`sheet_id`) REFERENCES `score_sheets`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `sheet_history_sheet` ON `sheet_history` (`sheet_id`);--> statement-breakpoint
CREATE TABLE `sheet_points` (
	`sheet_id` integer NOT NULL,
	`criterion_id` text NOT NULL,
	`position` integer NOT NULL,
	`points` real NOT NULL,
	`comment` text,
	PRIMARY KEY(`sheet_id`, `criterion_id`),
	FOREIGN KEY (`sheet_id`) REFERENCES `score_sheets`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `score_sheets` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`application_id` text NOT NULL,
	`expert_id` text NOT NULL,
	`rubric_id` text NOT NULL,
	`status` text DEFAULT 'draft' NOT NULL,
	`comment` text,
	`explanation` text,
	`returned_reason` text,
	`version` integer DEFAULT 1 NOT NULL,
	`submitted_at` text,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`application_id`) REFERENCES `applications`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`expert_id`) REFERENCES `experts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`rubric_id`) REFERENCES `rubrics`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sheets_pair` ON `score_sheets` (`application_id`,`expert_id`);--> statement-breakpoint
CREATE INDEX `sheets_expert` ON `score_sheets` (`expert_id`);--> statement-breakpoint
CREATE INDEX `sheets_status` ON `score_sheets` (`status`);--> statement-breakpoint
CREATE TABLE `site_visits` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`application_id` text NOT NULL,
	`date` text NOT NULL,
	`members` text NOT NULL,
	`findings` text NOT NULL,
	`user_id` text,
	`at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`application_id`) REFERENCES `applications`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `site_visits_application` ON `site_visits` (`application_id`);--> statement-breakpoint
CREATE TABLE `application_training_years` (
	`application_id` text NOT NULL,
	`position` integer NOT NULL,
	`year` integer NOT NULL,
	`total` integer,
	`independent` integer,
	`cooperative` integer,
	PRIMARY KEY(`application_id`, `position`),
	FOREIGN KEY (`application_id`) REFERENCES `applications`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `users` (
	`id` text PRIMARY KEY NOT NULL,
	`username` text NOT NULL,
	`display_name` text NOT NULL,
	`role` text NOT NULL,
	`region` text,
	`expert_id` text,
	`password_hash` text NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	`must_change_password` integer DEFAULT false NOT NULL,
	`failed_logins` integer DEFAULT 0 NOT NULL,
	`locked_until` integer,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`last_login_at` text,
	FOREIGN KEY (`region`) REFERENCES `regions`(`key`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`expert_id`) REFERENCES `experts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `users_username` ON `users` (`username`);--> statement-breakpoint
CREATE INDEX `users_expert` ON `users` (`expert_id`);--> statement-breakpoint
CREATE TABLE `application_venues` (
	`application_id` text NOT NULL,
	`position` integer NOT NULL,
	`address` text,
	`area` real,
	`capacity` integer,
	`equipment_sets` integer,
	`equipment_value` real,
	PRIMARY KEY(`application_id`, `position`),
	FOREIGN KEY (`application_id`) REFERENCES `applications`(`id`) ON UPDATE no action ON DELETE cascade
);
