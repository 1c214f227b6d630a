/**
 * The whole domain in one drizzle schema. Migrations are generated into drizzle/ with
 * `npm run db:generate` and committed. Child rows of a form keep their order in `position`.
 */
import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import type { AggregationSettings, Quotas } from '../../domain/bundle';
import { ROLES } from '../../domain/permissions';

const now = sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`;

/* ---------- vocabulary ---------- */

export const occupations = sqliteTable('occupations', {
	key: text('key').primaryKey(),
	label: text('label').notNull(),
	position: integer('position').notNull()
});

export const regions = sqliteTable('regions', {
	key: text('key').primaryKey(),
	label: text('label').notNull(),
	unit: text('unit').notNull(),
	position: integer('position').notNull()
});

/* ---------- batch ---------- */

export type MeetingState = { applicationId: string | null; startedAt: string | null; chairUserId: string | null };
export type MemoTexts = Record<string, string>;

export const batches = sqliteTable('batches', {
	id: text('id').primaryKey(),
	name: text('name').notNull(),
	deadline: text('deadline'),
	foundedOnOrBefore: text('founded_on_or_before'),
	minAnnualScale: integer('min_annual_scale'),
	closedEvaluationOccupations: text('closed_evaluation_occupations', { mode: 'json' }).$type<string[]>().notNull(),
	quotas: text('quotas', { mode: 'json' }).$type<Quotas>().notNull(),
	aggregation: text('aggregation', { mode: 'json' }).$type<AggregationSettings>().notNull(),
	/** Date by which experts should submit their sheets (shown on the expert home). */
	scoringDeadline: text('scoring_deadline'),
	/** Assignment options of the office's draw page. */
	perApplication: integer('per_application').notNull().default(5),
	maxLoad: integer('max_load'),
	onePerUnit: integer('one_per_unit', { mode: 'boolean' }).notNull().default(false),
	assignmentsPublishedAt: text('assignments_published_at'),
	meeting: text('meeting', { mode: 'json' }).$type<MeetingState>(),
	resultsLockedAt: text('results_locked_at'),
	resultsHash: text('results_hash'),
	memo: text('memo', { mode: 'json' }).$type<MemoTexts>(),
	createdAt: text('created_at').notNull().default(now),
	/** Set when the office archives the batch: read-only from then on (still browsable and exportable). */
	archivedAt: text('archived_at'),
	/** The batch whose settings this one was created from (`batch create --from`). */
	copiedFrom: text('copied_from'),
	/** Drawn experts answer their invitation by this date (YYYY-MM-DD); after it an unanswered one is replaced. */
	replyDeadline: text('reply_deadline'),
	/** The draw leaves out experts whose average 履职评价 is below this (null: off). */
	minExpertRating: real('min_expert_rating'),
	/** 劳务费 rates in 元 per person-day: senior titles and others (财科教〔2017〕128号 ranges). */
	feeStandard: text('fee_standard', { mode: 'json' }).$type<FeeStandard>(),
	/** The 公示 period: first and last day (Beijing dates) and its length in working days. */
	publicityStart: text('publicity_start'),
	publicityEnd: text('publicity_end'),
	publicityDays: integer('publicity_days'),
	/** Set when the office closes the 公示 period (on or after its last day). */
	publicityClosedAt: text('publicity_closed_at'),
	/**
	 * Locking with the review reports not fully signed: the written reason and, per group, the
	 * members whose signature was missing (printed in the report and the memo).
	 */
	lockNote: text('lock_note', { mode: 'json' }).$type<LockNote>(),
	/** A criterion marked objective whose points differ between panel members by more than this is listed by the re-check. */
	objectiveTolerance: real('objective_tolerance').notNull().default(0)
});

export type LockNote = { reason: string; missing: { occupation: string; type: 'training' | 'evaluation'; expertIds: string[] }[] };

export type FeeStandard = { senior: number; other: number };

/* ---------- institutions and applications ---------- */

export const institutions = sqliteTable(
	'institutions',
	{
		id: text('id').primaryKey(),
		name: text('name').notNull(),
		uscc: text('uscc'),
		legalRepName: text('legal_rep_name'),
		/** SM4-encrypted at rest (see server/crypto); `legalRepIdDigest` is the keyed digest (HMAC-SM3) of the normalized value for matching and search. */
		legalRepIdNumber: text('legal_rep_id_number'),
		legalRepIdDigest: text('legal_rep_id_digest'),
		hasLegalRep: integer('has_legal_rep', { mode: 'boolean' }).notNull().default(false),
		address: text('address'),
		unitType: text('unit_type'),
		industry: text('industry'),
		registeredCapital: real('registered_capital'),
		employees: integer('employees'),
		founded: text('founded'),
		hasBases: integer('has_bases', { mode: 'boolean' }).notNull().default(false),
		baseNationalCE: integer('base_national_ce', { mode: 'boolean' }),
		baseIndustryCE: integer('base_industry_ce', { mode: 'boolean' }),
		baseProvincialCE: integer('base_provincial_ce', { mode: 'boolean' }),
		baseStandardDeveloper: integer('base_standard_developer', { mode: 'boolean' }),
		updatedAt: text('updated_at').notNull().default(now)
	},
	(t) => [index('institutions_uscc').on(t.uscc), index('institutions_legal_rep_id_digest').on(t.legalRepIdDigest)]
);

export const institutionTaxes = sqliteTable(
	'institution_taxes',
	{
		institutionId: text('institution_id')
			.notNull()
			.references(() => institutions.id, { onDelete: 'cascade' }),
		position: integer('position').notNull(),
		year: integer('year').notNull(),
		amount: real('amount'),
		dishonest: integer('dishonest', { mode: 'boolean' })
	},
	(t) => [primaryKey({ columns: [t.institutionId, t.position] })]
);

export const APPLICATION_STATUSES = ['draft', 'submitted', 'returned', 'accepted'] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];

export const applications = sqliteTable(
	'applications',
	{
		id: text('id').primaryKey(),
		batchId: text('batch_id')
			.notNull()
			.references(() => batches.id),
		institutionId: text('institution_id')
			.notNull()
			.references(() => institutions.id),
		type: text('type', { enum: ['training', 'evaluation'] }).notNull(),
		occupation: text('occupation')
			.notNull()
			.references(() => occupations.key),
		region: text('region')
			.notNull()
			.references(() => regions.key),
		levels: text('levels', { mode: 'json' }).$type<string[]>().notNull(),
		hasLead: integer('has_lead', { mode: 'boolean' }).notNull().default(false),
		leadName: text('lead_name'),
		leadTitle: text('lead_title'),
		/** Phones are SM4-encrypted at rest; the `…Digest` columns hold the keyed digest of the normalized number. */
		leadPhone: text('lead_phone'),
		leadPhoneDigest: text('lead_phone_digest'),
		leadEmail: text('lead_email'),
		hasContact: integer('has_contact', { mode: 'boolean' }).notNull().default(false),
		contactName: text('contact_name'),
		contactTitle: text('contact_title'),
		contactPhone: text('contact_phone'),
		contactPhoneDigest: text('contact_phone_digest'),
		contactEmail: text('contact_email'),
		overview: text('overview'),
		platform: text('platform'),
		pastWork: text('past_work'),
		teamMechanism: text('team_mechanism'),
		plan: text('plan'),
		conductsEvaluation: integer('conducts_evaluation', { mode: 'boolean' }),
		issuesCertificates: integer('issues_certificates', { mode: 'boolean' }),
		certificateCategory: text('certificate_category'),
		hasTeam: integer('has_team', { mode: 'boolean' }).notNull().default(false),
		teamTotal: integer('team_total'),
		teamFullTime: integer('team_full_time'),
		teamPartTime: integer('team_part_time'),
		teamAssessors: integer('team_assessors'),
		teamSupervisors: integer('team_supervisors'),
		hasPlanned: integer('has_planned', { mode: 'boolean' }).notNull().default(false),
		plannedJunior: integer('planned_junior'),
		plannedIntermediate: integer('planned_intermediate'),
		plannedSenior: integer('planned_senior'),
		hasFees: integer('has_fees', { mode: 'boolean' }).notNull().default(false),
		feeJunior: real('fee_junior'),
		feeIntermediate: real('fee_intermediate'),
		feeSenior: real('fee_senior'),
		hasAttachments: integer('has_attachments', { mode: 'boolean' }).notNull().default(false),
		attRegistrationCertificate: integer('att_registration_certificate', { mode: 'boolean' }),
		attCreditReport: integer('att_credit_report', { mode: 'boolean' }),
		attIntegrityCommitment: integer('att_integrity_commitment', { mode: 'boolean' }),
		hasRecommendation: integer('has_recommendation', { mode: 'boolean' }).notNull().default(false),
		recommendationReason: text('recommendation_reason'),
		recommendationUnit: text('recommendation_unit'),
		recommendationDate: text('recommendation_date'),
		/** draft (city editing) → submitted (recommended to the province) → accepted (for review); returned goes back to the city. */
		status: text('status', { enum: APPLICATION_STATUSES }).notNull().default('submitted'),
		statusReason: text('status_reason'),
		submittedAt: text('submitted_at'),
		version: integer('version').notNull().default(1),
		createdAt: text('created_at').notNull().default(now),
		updatedAt: text('updated_at').notNull().default(now)
	},
	(t) => [
		index('applications_cell').on(t.region, t.occupation, t.type),
		index('applications_institution').on(t.institutionId),
		index('applications_occupation').on(t.occupation, t.type),
		index('applications_batch').on(t.batchId)
	]
);

const appChild = () =>
	text('application_id')
		.notNull()
		.references(() => applications.id, { onDelete: 'cascade' });

export const trainingYears = sqliteTable(
	'application_training_years',
	{
		applicationId: appChild(),
		position: integer('position').notNull(),
		year: integer('year').notNull(),
		total: integer('total'),
		independent: integer('independent'),
		cooperative: integer('cooperative')
	},
	(t) => [primaryKey({ columns: [t.applicationId, t.position] })]
);

export const evaluationYears = sqliteTable(
	'application_evaluation_years',
	{
		applicationId: appChild(),
		position: integer('position').notNull(),
		year: integer('year').notNull(),
		certificate: text('certificate'),
		own: integer('own', { mode: 'boolean' }),
		issued: integer('issued')
	},
	(t) => [primaryKey({ columns: [t.applicationId, t.position] })]
);

export const venues = sqliteTable(
	'application_venues',
	{
		applicationId: appChild(),
		position: integer('position').notNull(),
		address: text('address'),
		area: real('area'),
		capacity: integer('capacity'),
		equipmentSets: integer('equipment_sets'),
		equipmentValue: real('equipment_value')
	},
	(t) => [primaryKey({ columns: [t.applicationId, t.position] })]
);

export const people = sqliteTable(
	'application_people',
	{
		applicationId: appChild(),
		position: integer('position').notNull(),
		role: text('role', { enum: ['teacher', 'question-setter'] }).notNull(),
		name: text('name').notNull(),
		workUnit: text('work_unit'),
		title: text('title'),
		specialty: text('specialty'),
		fullTime: integer('full_time', { mode: 'boolean' }),
		phone: text('phone'),
		phoneDigest: text('phone_digest')
	},
	(t) => [primaryKey({ columns: [t.applicationId, t.position] }), index('people_name').on(t.name)]
);

export const ATTACHMENT_KINDS = [
	'registration-certificate',
	'credit-report',
	'integrity-commitment',
	'recommendation-letter',
	'extra'
] as const;
export type AttachmentKind = (typeof ATTACHMENT_KINDS)[number];

export const attachments = sqliteTable(
	'attachments',
	{
		id: text('id').primaryKey(),
		applicationId: appChild(),
		kind: text('kind', { enum: ATTACHMENT_KINDS }).notNull(),
		filename: text('filename').notNull(),
		mime: text('mime').notNull(),
		size: integer('size').notNull(),
		sha256: text('sha256').notNull(),
		uploadedBy: text('uploaded_by').references(() => users.id),
		uploadedAt: text('uploaded_at').notNull().default(now)
	},
	(t) => [index('attachments_application').on(t.applicationId)]
);

export const findingOverrides = sqliteTable(
	'finding_overrides',
	{
		applicationId: appChild(),
		code: text('code').notNull(),
		reason: text('reason').notNull(),
		userId: text('user_id').references(() => users.id),
		at: text('at').notNull().default(now)
	},
	(t) => [primaryKey({ columns: [t.applicationId, t.code] })]
);

/* ---------- people of the review ---------- */

export const experts = sqliteTable('experts', {
	id: text('id').primaryKey(),
	name: text('name').notNull(),
	workUnit: text('work_unit'),
	title: text('title'),
	occupations: text('occupations', { mode: 'json' }).$type<string[]>().notNull(),
	region: text('region').references(() => regions.key),
	phone: text('phone'),
	phoneDigest: text('phone_digest'),
	email: text('email'),
	/** 身份证号 for the 劳务费签领表: SM4-encrypted at rest, with its keyed digest (not in the bundle). */
	idNumber: text('id_number'),
	idNumberDigest: text('id_number_digest'),
	active: integer('active', { mode: 'boolean' }).notNull().default(true),
	updatedAt: text('updated_at').notNull().default(now)
});

/**
 * An expert's standing conflict profile: former work units (with the date they left) and the units
 * of declared relatives. Shared across batches, like the expert.
 */
export const expertAffiliations = sqliteTable(
	'expert_affiliations',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		expertId: text('expert_id')
			.notNull()
			.references(() => experts.id, { onDelete: 'cascade' }),
		kind: text('kind', { enum: ['former-unit', 'relative-unit'] }).notNull(),
		unit: text('unit').notNull(),
		/** For a relative: who (配偶, 子女, …). */
		relation: text('relation'),
		/** For a former unit: the day the expert left it (YYYY-MM-DD). */
		endedOn: text('ended_on'),
		note: text('note'),
		createdAt: text('created_at').notNull().default(now)
	},
	(t) => [index('expert_affiliations_expert').on(t.expertId)]
);

/** The office's 履职评价 of an expert for one batch, and the expert's explanation. */
export const expertRatings = sqliteTable(
	'expert_ratings',
	{
		expertId: text('expert_id')
			.notNull()
			.references(() => experts.id),
		batchId: text('batch_id')
			.notNull()
			.references(() => batches.id),
		/** criterion key → points; the criteria and their maxima are in domain code. */
		points: text('points', { mode: 'json' }).$type<Record<string, number>>().notNull(),
		total: real('total').notNull(),
		note: text('note'),
		userId: text('user_id').references(() => users.id),
		at: text('at').notNull().default(now),
		reply: text('reply'),
		repliedAt: text('replied_at')
	},
	(t) => [primaryKey({ columns: [t.expertId, t.batchId] })]
);

/** A drawn expert's answer to the invitation of a batch (after the roster is published). */
export const invitations = sqliteTable(
	'invitations',
	{
		batchId: text('batch_id')
			.notNull()
			.references(() => batches.id),
		expertId: text('expert_id')
			.notNull()
			.references(() => experts.id),
		status: text('status', { enum: ['pending', 'confirmed', 'declined', 'expired'] }).notNull().default('pending'),
		reason: text('reason'),
		respondedAt: text('responded_at'),
		createdAt: text('created_at').notNull().default(now)
	},
	(t) => [primaryKey({ columns: [t.batchId, t.expertId] })]
);

/** Who replaced whom on an application, and why (the roster's history). */
export const replacements = sqliteTable(
	'replacements',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		applicationId: text('application_id')
			.notNull()
			.references(() => applications.id, { onDelete: 'cascade' }),
		fromExpertId: text('from_expert_id')
			.notNull()
			.references(() => experts.id),
		toExpertId: text('to_expert_id').references(() => experts.id),
		cause: text('cause', { enum: ['declined', 'no-answer', 'deactivated', 'conflict', 'manual'] }).notNull(),
		reason: text('reason'),
		drawId: integer('draw_id').references(() => draws.id),
		userId: text('user_id').references(() => users.id),
		at: text('at').notNull().default(now)
	},
	(t) => [index('replacements_application').on(t.applicationId)]
);

/** The meeting's days (劳务费 is paid per person-day). */
export const meetingDays = sqliteTable(
	'meeting_days',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		batchId: text('batch_id')
			.notNull()
			.references(() => batches.id),
		date: text('date').notNull(),
		/** 1 for a full day, 0.5 for a half day. */
		length: real('length').notNull().default(1),
		note: text('note')
	},
	(t) => [uniqueIndex('meeting_days_date').on(t.batchId, t.date)]
);

/** Who was at the meeting on a day: present, half a day, left early, or removed for a conflict not declared. */
export const attendance = sqliteTable(
	'attendance',
	{
		dayId: integer('day_id')
			.notNull()
			.references(() => meetingDays.id, { onDelete: 'cascade' }),
		expertId: text('expert_id')
			.notNull()
			.references(() => experts.id),
		status: text('status', { enum: ['present', 'half', 'left-early', 'removed'] }).notNull(),
		note: text('note'),
		userId: text('user_id').references(() => users.id),
		at: text('at').notNull().default(now)
	},
	(t) => [primaryKey({ columns: [t.dayId, t.expertId] })]
);

/** The directory (目录) the coordinating group's decisions produce: who holds which occupation and type, until when. */
export const directoryEntries = sqliteTable(
	'directory_entries',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		institutionId: text('institution_id')
			.notNull()
			.references(() => institutions.id),
		occupation: text('occupation')
			.notNull()
			.references(() => occupations.key),
		type: text('type', { enum: ['training', 'evaluation'] }).notNull(),
		levels: text('levels', { mode: 'json' }).$type<string[]>().notNull(),
		validFrom: text('valid_from').notNull(),
		validTo: text('valid_to'),
		/** The batch and application it came from (null when entered by hand). */
		batchId: text('batch_id').references(() => batches.id),
		applicationId: text('application_id').references(() => applications.id),
		documentNo: text('document_no'),
		note: text('note'),
		userId: text('user_id').references(() => users.id),
		createdAt: text('created_at').notNull().default(now)
	},
	(t) => [index('directory_institution').on(t.institutionId)]
);

/** The roles (a TS-only enum: the column is text, no migration). */
export { ROLES, type Role } from '../../domain/permissions';

export const users = sqliteTable(
	'users',
	{
		id: text('id').primaryKey(),
		username: text('username').notNull(),
		displayName: text('display_name').notNull(),
		role: text('role', { enum: ROLES }).notNull(),
		region: text('region').references(() => regions.key),
		expertId: text('expert_id').references(() => experts.id),
		passwordHash: text('password_hash').notNull(),
		active: integer('active', { mode: 'boolean' }).notNull().default(true),
		mustChangePassword: integer('must_change_password', { mode: 'boolean' }).notNull().default(false),
		failedLogins: integer('failed_logins').notNull().default(0),
		lockedUntil: integer('locked_until', { mode: 'timestamp_ms' }),
		createdAt: text('created_at').notNull().default(now),
		lastLoginAt: text('last_login_at'),
		/** When the password was last set (expiry counts from here; null: from createdAt). */
		passwordChangedAt: text('password_changed_at')
	},
	(t) => [uniqueIndex('users_username').on(t.username), index('users_expert').on(t.expertId)]
);

export const sessions = sqliteTable(
	'sessions',
	{
		/** SHA-256 of the session token, hex: the token itself is never stored. */
		id: text('id').primaryKey(),
		userId: text('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		expiresAt: integer('expires_at', { mode: 'timestamp_ms' }).notNull(),
		createdAt: text('created_at').notNull().default(now),
		/** Last request on the session (idle timeout); null: never used since createdAt. */
		lastSeenAt: integer('last_seen_at', { mode: 'timestamp_ms' }),
		/** Client address at sign-in (security events). */
		address: text('address')
	},
	(t) => [index('sessions_user').on(t.userId)]
);

/** The last password hashes of an account (a new password may not reuse them). */
export const passwordHistory = sqliteTable(
	'password_history',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		userId: text('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		passwordHash: text('password_hash').notNull(),
		at: text('at').notNull().default(now)
	},
	(t) => [index('password_history_user').on(t.userId)]
);

/**
 * Failed sign-ins per (username as typed, normalized; client address): a lockout applies to that
 * pair only, so nobody can lock an account for everyone, and unknown usernames are counted alike.
 */
export const loginFailures = sqliteTable(
	'login_failures',
	{
		username: text('username').notNull(),
		address: text('address').notNull(),
		failures: integer('failures').notNull().default(0),
		lastAt: integer('last_at', { mode: 'timestamp_ms' }).notNull(),
		lockedUntil: integer('locked_until', { mode: 'timestamp_ms' })
	},
	(t) => [primaryKey({ columns: [t.username, t.address] })]
);

/** Settings the security administrator changes (timeouts, lockout, password rules): key → JSON value. */
export const settings = sqliteTable('settings', {
	key: text('key').primaryKey(),
	value: text('value', { mode: 'json' }).notNull(),
	userId: text('user_id'),
	updatedAt: text('updated_at').notNull().default(now)
});

/* ---------- rubrics ---------- */

export const rubrics = sqliteTable(
	'rubrics',
	{
		id: text('id').primaryKey(),
		batchId: text('batch_id')
			.notNull()
			.references(() => batches.id),
		type: text('type', { enum: ['training', 'evaluation'] }).notNull(),
		version: integer('version').notNull().default(1),
		frozenAt: text('frozen_at'),
		createdAt: text('created_at').notNull().default(now)
	},
	(t) => [index('rubrics_type').on(t.batchId, t.type)]
);

export const criteria = sqliteTable(
	'rubric_criteria',
	{
		rubricId: text('rubric_id')
			.notNull()
			.references(() => rubrics.id, { onDelete: 'cascade' }),
		id: text('id').notNull(),
		position: integer('position').notNull(),
		name: text('name').notNull(),
		maxPoints: real('max_points').notNull(),
		guidance: text('guidance'),
		/** Scored from the form's own figures (e.g. scale): panel members should agree; the re-check lists differences. */
		objective: integer('objective', { mode: 'boolean' }).notNull().default(false)
	},
	(t) => [primaryKey({ columns: [t.rubricId, t.id] })]
);

/* ---------- assignment and conflicts ---------- */

export const draws = sqliteTable('draws', {
	id: integer('id').primaryKey({ autoIncrement: true }),
	batchId: text('batch_id')
		.notNull()
		.references(() => batches.id),
	seed: text('seed').notNull(),
	scope: text('scope').notNull(),
	perApplication: integer('per_application').notNull(),
	maxLoad: integer('max_load'),
	onePerUnit: integer('one_per_unit', { mode: 'boolean' }).notNull().default(false),
	made: integer('made').notNull(),
	summary: text('summary', { mode: 'json' }).$type<Record<string, unknown>>(),
	userId: text('user_id').references(() => users.id),
	at: text('at').notNull().default(now),
	/** Experts the draw left out by the 履职评价 threshold: [{ expertId, average }]. */
	excluded: text('excluded', { mode: 'json' }).$type<{ expertId: string; average: number }[]>(),
	/** The supervisor's (observer's) confirmation of the printed 抽取记录. */
	confirmedBy: text('confirmed_by').references(() => users.id),
	confirmedAt: text('confirmed_at')
});

export const assignments = sqliteTable(
	'assignments',
	{
		applicationId: appChild(),
		expertId: text('expert_id')
			.notNull()
			.references(() => experts.id),
		source: text('source', { enum: ['import', 'draw', 'manual', 'replacement'] }).notNull().default('import'),
		drawId: integer('draw_id').references(() => draws.id),
		reason: text('reason'),
		createdAt: text('created_at').notNull().default(now)
	},
	(t) => [primaryKey({ columns: [t.applicationId, t.expertId] }), index('assignments_expert').on(t.expertId)]
);

export const alternates = sqliteTable(
	'alternates',
	{
		applicationId: appChild(),
		expertId: text('expert_id')
			.notNull()
			.references(() => experts.id),
		rank: integer('rank').notNull(),
		drawId: integer('draw_id').references(() => draws.id)
	},
	(t) => [primaryKey({ columns: [t.applicationId, t.expertId] })]
);

export const DECLARATION_GROUNDS = ['employment', 'shareholding', 'kinship', 'cooperation', 'other'] as const;

export const declarations = sqliteTable(
	'declarations',
	{
		applicationId: appChild(),
		expertId: text('expert_id')
			.notNull()
			.references(() => experts.id),
		ground: text('ground', { enum: DECLARATION_GROUNDS }).notNull().default('other'),
		reason: text('reason').notNull(),
		at: text('at').notNull().default(now)
	},
	(t) => [primaryKey({ columns: [t.applicationId, t.expertId] }), index('declarations_expert').on(t.expertId)]
);

/** The office's decision on a detected soft conflict: confirmed (treated as hard) or dismissed. */
export const conflictReviews = sqliteTable(
	'conflict_reviews',
	{
		applicationId: appChild(),
		expertId: text('expert_id')
			.notNull()
			.references(() => experts.id),
		code: text('code').notNull(),
		decision: text('decision', { enum: ['confirmed', 'dismissed'] }).notNull(),
		reason: text('reason').notNull(),
		userId: text('user_id').references(() => users.id),
		at: text('at').notNull().default(now)
	},
	(t) => [primaryKey({ columns: [t.applicationId, t.expertId, t.code] })]
);

export const commitments = sqliteTable(
	'commitments',
	{
		expertId: text('expert_id')
			.notNull()
			.references(() => experts.id),
		batchId: text('batch_id')
			.notNull()
			.references(() => batches.id),
		acceptedAt: text('accepted_at').notNull().default(now),
		textHash: text('text_hash').notNull()
	},
	(t) => [primaryKey({ columns: [t.expertId, t.batchId] })]
);

/* ---------- scores ---------- */

export const sheets = sqliteTable(
	'score_sheets',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		applicationId: appChild(),
		expertId: text('expert_id')
			.notNull()
			.references(() => experts.id),
		rubricId: text('rubric_id')
			.notNull()
			.references(() => rubrics.id),
		status: text('status', { enum: ['draft', 'submitted'] }).notNull().default('draft'),
		comment: text('comment'),
		explanation: text('explanation'),
		returnedReason: text('returned_reason'),
		version: integer('version').notNull().default(1),
		submittedAt: text('submitted_at'),
		updatedAt: text('updated_at').notNull().default(now),
		/** Bumped by triggers (migration 0001) whenever a point of the sheet is written or deleted: the cached scores re-read only the sheets whose points moved. */
		pointsGen: integer('points_gen').notNull().default(0),
		/** The total as written on a paper sheet or an offline workbook (null when scored in the app): the re-check compares it with the points. */
		declaredTotal: real('declared_total')
	},
	(t) => [
		uniqueIndex('sheets_pair').on(t.applicationId, t.expertId),
		index('sheets_expert').on(t.expertId),
		index('sheets_status').on(t.status)
	]
);

export const sheetPoints = sqliteTable(
	'sheet_points',
	{
		sheetId: integer('sheet_id')
			.notNull()
			.references(() => sheets.id, { onDelete: 'cascade' }),
		criterionId: text('criterion_id').notNull(),
		position: integer('position').notNull(),
		points: real('points').notNull(),
		comment: text('comment')
	},
	(t) => [primaryKey({ columns: [t.sheetId, t.criterionId] })]
);

/** Earlier submitted versions of a sheet (a sheet returned for re-scoring keeps its first scores here). */
export const sheetHistory = sqliteTable(
	'sheet_history',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		sheetId: integer('sheet_id')
			.notNull()
			.references(() => sheets.id, { onDelete: 'cascade' }),
		round: integer('round').notNull(),
		total: real('total').notNull(),
		points: text('points', { mode: 'json' }).$type<Record<string, number>>().notNull(),
		comment: text('comment'),
		returnedReason: text('returned_reason'),
		at: text('at').notNull().default(now)
	},
	(t) => [index('sheet_history_sheet').on(t.sheetId)]
);

/* ---------- meeting and results ---------- */

export const decisions = sqliteTable('decisions', {
	applicationId: text('application_id')
		.primaryKey()
		.references(() => applications.id, { onDelete: 'cascade' }),
	decision: text('decision', { enum: ['proposed', 'not-proposed', 'site-visit', 'pending'] }).notNull(),
	reason: text('reason'),
	/** The vote the decision rests on (a decision departing from the default rule needs a vote or a reason). */
	voteRoundId: integer('vote_round_id').references(() => voteRounds.id),
	userId: text('user_id').references(() => users.id),
	at: text('at').notNull().default(now)
});

export const siteVisits = sqliteTable(
	'site_visits',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		applicationId: appChild(),
		date: text('date').notNull(),
		members: text('members').notNull(),
		findings: text('findings').notNull(),
		userId: text('user_id').references(() => users.id),
		at: text('at').notNull().default(now)
	},
	(t) => [index('site_visits_application').on(t.applicationId)]
);

/* ---------- after the scores: re-check, votes, review report, publicity, national decision ---------- */

/** A correction made at the re-check (复核): one sheet, one value, who and why; printed in the review report. */
export const scoreCorrections = sqliteTable(
	'score_corrections',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		sheetId: integer('sheet_id')
			.notNull()
			.references(() => sheets.id),
		/** The criterion corrected; null when the declared total itself is corrected. */
		criterionId: text('criterion_id'),
		/** The re-check rule that found it: TOTAL_MISMATCH, OUT_OF_RANGE, OBJECTIVE_DIFFERS, ABNORMAL_SCORE, or OTHER. */
		rule: text('rule').notNull(),
		oldValue: real('old_value'),
		newValue: real('new_value'),
		reason: text('reason').notNull(),
		userId: text('user_id').references(() => users.id),
		at: text('at').notNull().default(now)
	},
	(t) => [index('score_corrections_sheet').on(t.sheetId)]
);

/** A vote the chair calls on one application in meeting mode; the tally is fixed when it closes. */
export const voteRounds = sqliteTable(
	'vote_rounds',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		applicationId: appChild(),
		/** What is voted on: the proposed decision (proposed, not-proposed, site-visit, pending). */
		motion: text('motion', { enum: ['proposed', 'not-proposed', 'site-visit', 'pending'] }).notNull(),
		openedBy: text('opened_by').references(() => users.id),
		openedAt: text('opened_at').notNull().default(now),
		closedBy: text('closed_by').references(() => users.id),
		closedAt: text('closed_at'),
		/** Fixed at closing: { agree, disagree, abstain, eligible }. */
		tally: text('tally', { mode: 'json' }).$type<VoteTally>()
	},
	(t) => [index('vote_rounds_application').on(t.applicationId)]
);

export type VoteTally = { agree: number; disagree: number; abstain: number; eligible: number };

export const votes = sqliteTable(
	'votes',
	{
		roundId: integer('round_id')
			.notNull()
			.references(() => voteRounds.id, { onDelete: 'cascade' }),
		expertId: text('expert_id')
			.notNull()
			.references(() => experts.id),
		choice: text('choice', { enum: ['agree', 'disagree', 'abstain'] }).notNull(),
		at: text('at').notNull().default(now)
	},
	(t) => [primaryKey({ columns: [t.roundId, t.expertId] })]
);

/** The 综合评审意见 the chair drafts per application; the panel reads it; the report and the feedback letter print it. */
export const reviewOpinions = sqliteTable('review_opinions', {
	applicationId: text('application_id')
		.primaryKey()
		.references(() => applications.id, { onDelete: 'cascade' }),
	text: text('text').notNull(),
	userId: text('user_id').references(() => users.id),
	updatedAt: text('updated_at').notNull().default(now)
});

/**
 * A panel member's signature on a group's review report (评审报告): in the app, or recorded by the
 * office from the printed signature page; a dissent carries its reasons. `digest` is the report's
 * content hash when signed: a report changed afterwards needs signing again.
 */
export const reportSignatures = sqliteTable(
	'report_signatures',
	{
		batchId: text('batch_id')
			.notNull()
			.references(() => batches.id),
		occupation: text('occupation')
			.notNull()
			.references(() => occupations.key),
		type: text('type', { enum: ['training', 'evaluation'] }).notNull(),
		expertId: text('expert_id')
			.notNull()
			.references(() => experts.id),
		kind: text('kind', { enum: ['agree', 'dissent'] }).notNull(),
		dissent: text('dissent'),
		method: text('method', { enum: ['app', 'paper'] }).notNull(),
		digest: text('digest').notNull(),
		/** The user who signed (the expert) or who recorded the paper signature (the office). */
		userId: text('user_id').references(() => users.id),
		signedAt: text('signed_at').notNull().default(now)
	},
	(t) => [primaryKey({ columns: [t.batchId, t.occupation, t.type, t.expertId] })]
);

export const OBJECTION_STATUSES = ['received', 'accepted', 'rejected', 'closed'] as const;
export type ObjectionStatus = (typeof OBJECTION_STATUSES)[number];

/** A real-name objection (异议) raised during the 公示 period against one application. */
export const objections = sqliteTable(
	'objections',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		batchId: text('batch_id')
			.notNull()
			.references(() => batches.id),
		applicationId: appChild(),
		objectorKind: text('objector_kind', { enum: ['unit', 'person'] }).notNull(),
		objectorName: text('objector_name').notNull(),
		contact: text('contact').notNull(),
		grounds: text('grounds').notNull(),
		receivedDate: text('received_date').notNull(),
		status: text('status', { enum: OBJECTION_STATUSES }).notNull().default('received'),
		/** 受理 / 不予受理: the reason and when. */
		admissionReason: text('admission_reason'),
		admittedAt: text('admitted_at'),
		investigation: text('investigation'),
		/** Re-review by the original panel (where the result may change) and what it found. */
		rereview: integer('rereview', { mode: 'boolean' }).notNull().default(false),
		rereviewNotes: text('rereview_notes'),
		/** upheld (成立: the result changes), partly, dismissed (不成立). */
		outcome: text('outcome', { enum: ['upheld', 'partly', 'dismissed'] }),
		outcomeNotes: text('outcome_notes'),
		reply: text('reply'),
		repliedAt: text('replied_at'),
		userId: text('user_id').references(() => users.id),
		createdAt: text('created_at').notNull().default(now)
	},
	(t) => [index('objections_batch').on(t.batchId), index('objections_application').on(t.applicationId)]
);

/** Files that came with an objection (stored like application attachments, by content hash). */
export const objectionFiles = sqliteTable(
	'objection_files',
	{
		id: text('id').primaryKey(),
		objectionId: integer('objection_id')
			.notNull()
			.references(() => objections.id, { onDelete: 'cascade' }),
		filename: text('filename').notNull(),
		mime: text('mime').notNull(),
		size: integer('size').notNull(),
		sha256: text('sha256').notNull(),
		uploadedBy: text('uploaded_by').references(() => users.id),
		uploadedAt: text('uploaded_at').notNull().default(now)
	},
	(t) => [index('objection_files_objection').on(t.objectionId)]
);

/** The coordinating group's decision (确定 / 未确定) on a proposed application. */
export const nationalDecisions = sqliteTable('national_decisions', {
	applicationId: text('application_id')
		.primaryKey()
		.references(() => applications.id, { onDelete: 'cascade' }),
	decision: text('decision', { enum: ['confirmed', 'not-confirmed'] }).notNull(),
	date: text('date').notNull(),
	documentNo: text('document_no').notNull(),
	note: text('note'),
	userId: text('user_id').references(() => users.id),
	at: text('at').notNull().default(now)
});

/* ---------- audit ---------- */

/** Append-only; each entry carries the SHA-256 of the previous entry's hash and its own content. */
export const auditLog = sqliteTable(
	'audit_log',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		at: text('at').notNull(),
		userId: text('user_id'),
		actor: text('actor').notNull(),
		action: text('action').notNull(),
		entity: text('entity'),
		entityId: text('entity_id'),
		detail: text('detail'),
		prevHash: text('prev_hash').notNull(),
		hash: text('hash').notNull(),
		/** How `hash` was made: 'sha256' (entries before the keyed chain) or 'hmac-sm3' (keyed). */
		alg: text('alg').notNull().default('sha256')
	},
	(t) => [index('audit_entity').on(t.entity, t.entityId), index('audit_action').on(t.action)]
);

/**
 * The sealed head of the audit chain (one row, id 1): the last entry's id and hash with a MAC under
 * the audit key, written in the same transaction as each append, so a deleted tail is detected.
 */
export const auditHead = sqliteTable('audit_head', {
	id: integer('id').primaryKey(),
	lastId: integer('last_id').notNull(),
	lastHash: text('last_hash').notNull(),
	seal: text('seal').notNull(),
	at: text('at').notNull()
});

/**
 * Change counters, bumped by triggers (migration 0001) on every insert, update or delete of the
 * tables they watch: `intake` (batch, institutions, applications and their rows, attachments,
 * overrides, experts, declarations, conflict reviews) and `review` (assignments, rubrics, sheets,
 * points, decisions). Derived state (formal check, conflicts) is cached against them; a write from
 * any connection, the command line included, moves the counter.
 */
export const generations = sqliteTable('generations', {
	name: text('name').primaryKey(),
	n: integer('n').notNull().default(0)
});

export type UserRow = typeof users.$inferSelect;
export type SessionRow = typeof sessions.$inferSelect;
export type ExpertRow = typeof experts.$inferSelect;
export type ApplicationRow = typeof applications.$inferSelect;
export type InstitutionRow = typeof institutions.$inferSelect;
export type BatchRow = typeof batches.$inferSelect;
export type SheetRow = typeof sheets.$inferSelect;
