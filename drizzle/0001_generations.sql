CREATE TABLE `generations` (
	`name` text PRIMARY KEY NOT NULL,
	`n` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
ALTER TABLE `score_sheets` ADD `points_gen` integer DEFAULT 0 NOT NULL;
--> statement-breakpoint
INSERT INTO `generations` (`name`, `n`) VALUES ('intake', 0), ('review', 0);
--> statement-breakpoint
CREATE TRIGGER `gen_batches_insert` AFTER INSERT ON `batches` BEGIN UPDATE `generations` SET `n` = `n` + 1 WHERE `name` = 'intake'; END;
--> statement-breakpoint
CREATE TRIGGER `gen_batches_update` AFTER UPDATE ON `batches` BEGIN UPDATE `generations` SET `n` = `n` + 1 WHERE `name` = 'intake'; END;
--> statement-breakpoint
CREATE TRIGGER `gen_batches_delete` AFTER DELETE ON `batches` BEGIN UPDATE `generations` SET `n` = `n` + 1 WHERE `name` = 'intake'; END;
--> statement-breakpoint
CREATE TRIGGER `gen_occupations_insert` AFTER INSERT ON `occupations` BEGIN UPDATE `generations` SET `n` = `n` + 1 WHERE `name` = 'intake'; END;
--> statement-breakpoint
CREATE TRIGGER `gen_occupations_update` AFTER UPDATE ON `occupations` BEGIN UPDATE `generations` SET `n` = `n` + 1 WHERE `name` = 'intake'; END;
--> statement-breakpoint
CREATE TRIGGER `gen_occupations_delete` AFTER DELETE ON `occupations` BEGIN UPDATE `generations` SET `n` = `n` + 1 WHERE `name` = 'intake'; END;
--> statement-breakpoint
CREATE TRIGGER `gen_regions_insert` AFTER INSERT ON `regions` BEGIN UPDATE `generations` SET `n` = `n` + 1 WHERE `name` = 'intake'; END;
--> statement-breakpoint
CREATE TRIGGER `gen_regions_update` AFTER UPDATE ON `regions` BEGIN UPDATE `generations` SET `n` = `n` + 1 WHERE `name` = 'intake'; END;
--> statement-breakpoint
CREATE TRIGGER `gen_regions_delete` AFTER DELETE ON `regions` BEGIN UPDATE `generations` SET `n` = `n` + 1 WHERE `name` = 'intake'; END;
--> statement-breakpoint
CREATE TRIGGER `gen_institutions_insert` AFTER INSERT ON `institutions` BEGIN UPDATE `generations` SET `n` = `n` + 1 WHERE `name` = 'intake'; END;
--> statement-breakpoint
CREATE TRIGGER `gen_institutions_update` AFTER UPDATE ON `institutions` BEGIN UPDATE `generations` SET `n` = `n` + 1 WHERE `name` = 'intake'; END;
--> statement-breakpoint
CREATE TRIGGER `gen_institutions_delete` AFTER DELETE ON `institutions` BEGIN UPDATE `generations` SET `n` = `n` + 1 WHERE `name` = 'intake'; END;
--> statement-breakpoint
CREATE TRIGGER `gen_institution_taxes_insert` AFTER INSERT ON `institution_taxes` BEGIN UPDATE `generations` SET `n` = `n` + 1 WHERE `name` = 'intake'; END;
--> statement-breakpoint
CREATE TRIGGER `gen_institution_taxes_update` AFTER UPDATE ON `institution_taxes` BEGIN UPDATE `generations` SET `n` = `n` + 1 WHERE `name` = 'intake'; END;
--> statement-breakpoint
CREATE TRIGGER `gen_institution_taxes_delete` AFTER DELETE ON `institution_taxes` BEGIN UPDATE `generations` SET `n` = `n` + 1 WHERE `name` = 'intake'; END;
--> statement-breakpoint
CREATE TRIGGER `gen_applications_insert` AFTER INSERT ON `applications` BEGIN UPDATE `generations` SET `n` = `n` + 1 WHERE `name` = 'intake'; END;
--> statement-breakpoint
CREATE TRIGGER `gen_applications_update` AFTER UPDATE ON `applications` BEGIN UPDATE `generations` SET `n` = `n` + 1 WHERE `name` = 'intake'; END;
--> statement-breakpoint
CREATE TRIGGER `gen_applications_delete` AFTER DELETE ON `applications` BEGIN UPDATE `generations` SET `n` = `n` + 1 WHERE `name` = 'intake'; END;
--> statement-breakpoint
CREATE TRIGGER `gen_application_training_years_insert` AFTER INSERT ON `application_training_years` BEGIN UPDATE `generations` SET `n` = `n` + 1 WHERE `name` = 'intake'; END;
--> statement-breakpoint
CREATE TRIGGER `gen_application_training_years_update` AFTER UPDATE ON `application_training_years` BEGIN UPDATE `generations` SET `n` = `n` + 1 WHERE `name` = 'intake'; END;
--> statement-breakpoint
CREATE TRIGGER `gen_application_training_years_delete` AFTER DELETE ON `application_training_years` BEGIN UPDATE `generations` SET `n` = `n` + 1 WHERE `name` = 'intake'; END;
--> statement-breakpoint
CREATE TRIGGER `gen_application_evaluation_years_insert` AFTER INSERT ON `application_evaluation_years` BEGIN UPDATE `generations` SET `n` = `n` + 1 WHERE `name` = 'intake'; END;
--> statement-breakpoint
CREATE TRIGGER `gen_application_evaluation_years_update` AFTER UPDATE ON `application_evaluation_years` BEGIN UPDATE `generations` SET `n` = `n` + 1 WHERE `name` = 'intake'; END;
--> statement-breakpoint
CREATE TRIGGER `gen_application_evaluation_years_delete` AFTER DELETE ON `application_evaluation_years` BEGIN UPDATE `generations` SET `n` = `n` + 1 WHERE `name` = 'intake'; END;
--> statement-breakpoint
CREATE TRIGGER `gen_application_venues_insert` AFTER INSERT ON `application_venues` BEGIN UPDATE `generations` SET `n` = `n` + 1 WHERE `name` = 'intake'; END;
--> statement-breakpoint
CREATE TRIGGER `gen_application_venues_update` AFTER UPDATE ON `application_venues` BEGIN UPDATE `generations` SET `n` = `n` + 1 WHERE `name` = 'intake'; END;
--> statement-breakpoint
CREATE TRIGGER `gen_application_venues_delete` AFTER DELETE ON `application_venues` BEGIN UPDATE `generations` SET `n` = `n` + 1 WHERE `name` = 'intake'; END;
--> statement-breakpoint
CREATE TRIGGER `gen_application_people_insert` AFTER INSERT ON `application_people` BEGIN UPDATE `generations` SET `n` = `n` + 1 WHERE `name` = 'intake'; END;
--> statement-breakpoint
CREATE TRIGGER `gen_application_people_update` AFTER UPDATE ON `application_people` BEGIN UPDATE `generations` SET `n` = `n` + 1 WHERE `name` = 'intake'; END;
--> statement-breakpoint
CREATE TRIGGER `gen_application_people_delete` AFTER DELETE ON `application_people` BEGIN UPDATE `generations` SET `n` = `n` + 1 WHERE `name` = 'intake'; END;
--> statement-breakpoint
CREATE TRIGGER `gen_attachments_insert` AFTER INSERT ON `attachments` BEGIN UPDATE `generations` SET `n` = `n` + 1 WHERE `name` = 'intake'; END;
--> statement-breakpoint
CREATE TRIGGER `gen_attachments_update` AFTER UPDATE ON `attachments` BEGIN UPDATE `generations` SET `n` = `n` + 1 WHERE `name` = 'intake'; END;
--> statement-breakpoint
CREATE TRIGGER `gen_attachments_delete` AFTER DELETE ON `attachments` BEGIN UPDATE `generations` SET `n` = `n` + 1 WHERE `name` = 'intake'; END;
--> statement-breakpoint
CREATE TRIGGER `gen_finding_overrides_insert` AFTER INSERT ON `finding_overrides` BEGIN UPDATE `generations` SET `n` = `n` + 1 WHERE `name` = 'intake'; END;
--> statement-breakpoint
CREATE TRIGGER `gen_finding_overrides_update` AFTER UPDATE ON `finding_overrides` BEGIN UPDATE `generations` SET `n` = `n` + 1 WHERE `name` = 'intake'; END;
--> statement-breakpoint
CREATE TRIGGER `gen_finding_overrides_delete` AFTER DELETE ON `finding_overrides` BEGIN UPDATE `generations` SET `n` = `n` + 1 WHERE `name` = 'intake'; END;
--> statement-breakpoint
CREATE TRIGGER `gen_experts_insert` AFTER INSERT ON `experts` BEGIN UPDATE `generations` SET `n` = `n` + 1 WHERE `name` = 'intake'; END;
--> statement-breakpoint
CREATE TRIGGER `gen_experts_update` AFTER UPDATE ON `experts` BEGIN UPDATE `generations` SET `n` = `n` + 1 WHERE `name` = 'intake'; END;
--> statement-breakpoint
CREATE TRIGGER `gen_experts_delete` AFTER DELETE ON `experts` BEGIN UPDATE `generations` SET `n` = `n` + 1 WHERE `name` = 'intake'; END;
--> statement-breakpoint
CREATE TRIGGER `gen_declarations_insert` AFTER INSERT ON `declarations` BEGIN UPDATE `generations` SET `n` = `n` + 1 WHERE `name` = 'intake'; END;
--> statement-breakpoint
CREATE TRIGGER `gen_declarations_update` AFTER UPDATE ON `declarations` BEGIN UPDATE `generations` SET `n` = `n` + 1 WHERE `name` = 'intake'; END;
--> statement-breakpoint
CREATE TRIGGER `gen_declarations_delete` AFTER DELETE ON `declarations` BEGIN UPDATE `generations` SET `n` = `n` + 1 WHERE `name` = 'intake'; END;
--> statement-breakpoint
CREATE TRIGGER `gen_conflict_reviews_insert` AFTER INSERT ON `conflict_reviews` BEGIN UPDATE `generations` SET `n` = `n` + 1 WHERE `name` = 'intake'; END;
--> statement-breakpoint
CREATE TRIGGER `gen_conflict_reviews_update` AFTER UPDATE ON `conflict_reviews` BEGIN UPDATE `generations` SET `n` = `n` + 1 WHERE `name` = 'intake'; END;
--> statement-breakpoint
CREATE TRIGGER `gen_conflict_reviews_delete` AFTER DELETE ON `conflict_reviews` BEGIN UPDATE `generations` SET `n` = `n` + 1 WHERE `name` = 'intake'; END;
--> statement-breakpoint
CREATE TRIGGER `gen_assignments_insert` AFTER INSERT ON `assignments` BEGIN UPDATE `generations` SET `n` = `n` + 1 WHERE `name` = 'review'; END;
--> statement-breakpoint
CREATE TRIGGER `gen_assignments_update` AFTER UPDATE ON `assignments` BEGIN UPDATE `generations` SET `n` = `n` + 1 WHERE `name` = 'review'; END;
--> statement-breakpoint
CREATE TRIGGER `gen_assignments_delete` AFTER DELETE ON `assignments` BEGIN UPDATE `generations` SET `n` = `n` + 1 WHERE `name` = 'review'; END;
--> statement-breakpoint
CREATE TRIGGER `gen_rubrics_insert` AFTER INSERT ON `rubrics` BEGIN UPDATE `generations` SET `n` = `n` + 1 WHERE `name` = 'review'; END;
--> statement-breakpoint
CREATE TRIGGER `gen_rubrics_update` AFTER UPDATE ON `rubrics` BEGIN UPDATE `generations` SET `n` = `n` + 1 WHERE `name` = 'review'; END;
--> statement-breakpoint
CREATE TRIGGER `gen_rubrics_delete` AFTER DELETE ON `rubrics` BEGIN UPDATE `generations` SET `n` = `n` + 1 WHERE `name` = 'review'; END;
--> statement-breakpoint
CREATE TRIGGER `gen_rubric_criteria_insert` AFTER INSERT ON `rubric_criteria` BEGIN UPDATE `generations` SET `n` = `n` + 1 WHERE `name` = 'review'; END;
--> statement-breakpoint
CREATE TRIGGER `gen_rubric_criteria_update` AFTER UPDATE ON `rubric_criteria` BEGIN UPDATE `generations` SET `n` = `n` + 1 WHERE `name` = 'review'; END;
--> statement-breakpoint
CREATE TRIGGER `gen_rubric_criteria_delete` AFTER DELETE ON `rubric_criteria` BEGIN UPDATE `generations` SET `n` = `n` + 1 WHERE `name` = 'review'; END;
--> statement-breakpoint
CREATE TRIGGER `gen_score_sheets_insert` AFTER INSERT ON `score_sheets` BEGIN UPDATE `generations` SET `n` = `n` + 1 WHERE `name` = 'review'; END;
--> statement-breakpoint
CREATE TRIGGER `gen_score_sheets_update` AFTER UPDATE ON `score_sheets` BEGIN UPDATE `generations` SET `n` = `n` + 1 WHERE `name` = 'review'; END;
--> statement-breakpoint
CREATE TRIGGER `gen_score_sheets_delete` AFTER DELETE ON `score_sheets` BEGIN UPDATE `generations` SET `n` = `n` + 1 WHERE `name` = 'review'; END;
--> statement-breakpoint
CREATE TRIGGER `gen_sheet_points_insert` AFTER INSERT ON `sheet_points` BEGIN UPDATE `generations` SET `n` = `n` + 1 WHERE `name` = 'review'; END;
--> statement-breakpoint
CREATE TRIGGER `gen_sheet_points_update` AFTER UPDATE ON `sheet_points` BEGIN UPDATE `generations` SET `n` = `n` + 1 WHERE `name` = 'review'; END;
--> statement-breakpoint
CREATE TRIGGER `gen_sheet_points_delete` AFTER DELETE ON `sheet_points` BEGIN UPDATE `generations` SET `n` = `n` + 1 WHERE `name` = 'review'; END;
--> statement-breakpoint
CREATE TRIGGER `gen_decisions_insert` AFTER INSERT ON `decisions` BEGIN UPDATE `generations` SET `n` = `n` + 1 WHERE `name` = 'review'; END;
--> statement-breakpoint
CREATE TRIGGER `gen_decisions_update` AFTER UPDATE ON `decisions` BEGIN UPDATE `generations` SET `n` = `n` + 1 WHERE `name` = 'review'; END;
--> statement-breakpoint
CREATE TRIGGER `gen_decisions_delete` AFTER DELETE ON `decisions` BEGIN UPDATE `generations` SET `n` = `n` + 1 WHERE `name` = 'review'; END;
--> statement-breakpoint
CREATE TRIGGER `points_gen_insert` AFTER INSERT ON `sheet_points` BEGIN UPDATE `score_sheets` SET `points_gen` = `points_gen` + 1 WHERE `id` = NEW.`sheet_id`; END;
--> statement-breakpoint
CREATE TRIGGER `points_gen_update` AFTER UPDATE ON `sheet_points` BEGIN UPDATE `score_sheets` SET `points_gen` = `points_gen` + 1 WHERE `id` IN (OLD.`sheet_id`, NEW.`sheet_id`); END;
--> statement-breakpoint
CREATE TRIGGER `points_gen_delete` AFTER DELETE ON `sheet_points` BEGIN UPDATE `score_sheets` SET `points_gen` = `points_gen` + 1 WHERE `id` = OLD.`sheet_id`; END;
