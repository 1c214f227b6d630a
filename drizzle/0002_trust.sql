CREATE TABLE `audit_head` (
	`id` integer PRIMARY KEY NOT NULL,
	`last_id` integer NOT NULL,
	`last_hash` text NOT NULL,
	`seal` text NOT NULL,
	`at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `login_failures` (
	`username` text NOT NULL,
	`address` text NOT NULL,
	`failures` integer DEFAULT 0 NOT NULL,
	`last_at` integer NOT NULL,
	`locked_until` integer,
	PRIMARY KEY(`username`, `address`)
);
--> statement-breakpoint
CREATE TABLE `password_history` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` text NOT NULL,
	`password_hash` text NOT NULL,
	`at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `password_history_user` ON `password_history` (`user_id`);--> statement-breakpoint
CREATE TABLE `settings` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL,
	`user_id` text,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
ALTER TABLE `applications` ADD `lead_phone_digest` text;--> statement-breakpoint
ALTER TABLE `applications` ADD `contact_phone_digest` text;--> statement-breakpoint
ALTER TABLE `audit_log` ADD `alg` text DEFAULT 'sha256' NOT NULL;--> statement-breakpoint
ALTER TABLE `experts` ADD `phone_digest` text;--> statement-breakpoint
ALTER TABLE `institutions` ADD `legal_rep_id_digest` text;--> statement-breakpoint
CREATE INDEX `institutions_legal_rep_id_digest` ON `institutions` (`legal_rep_id_digest`);--> statement-breakpoint
ALTER TABLE `application_people` ADD `phone_digest` text;--> statement-breakpoint
ALTER TABLE `sessions` ADD `last_seen_at` integer;--> statement-breakpoint
ALTER TABLE `sessions` ADD `address` text;--> statement-breakpoint
ALTER TABLE `users` ADD `password_changed_at` text;