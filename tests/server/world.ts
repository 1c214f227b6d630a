/**
 * The people and the object of the authorization matrix, picked from the demo database: one
 * application X; the office; the city of X's region and a city of another region; an expert
 * assigned to X, one not assigned, one assigned but with a declared conflict; the observer; the
 * three administrators of 三员分立 (system, security, audit).
 * Sessions are made straight in the database. Also the personal data a page or log must not show.
 */
import type Database from 'better-sqlite3';
import { and, asc, eq, ne, sql } from 'drizzle-orm';
import type { Db } from '../../src/lib/server/db';
import * as s from '../../src/lib/server/db/schema';
import { loadApplications, loadExperts, loadInstitutions } from '../../src/lib/server/queries/bundle';
import { opener } from '../../src/lib/server/personal-data';
import { sessionCookie } from './harness';
import { GROUP_ROLE, type Route } from './routes';
import { requireScope, defaultBatchRow } from '../../src/lib/server/scope';

export const COLUMNS = ['anonymous', 'office', 'city', 'city-other', 'expert', 'expert-unassigned', 'expert-conflict', 'observer', 'sysadmin', 'secadmin', 'auditadmin'] as const;
export type Column = (typeof COLUMNS)[number];

export const ADMIN_COLUMNS = ['sysadmin', 'secadmin', 'auditadmin'] as const satisfies readonly Column[];

export const ROLE_OF: Record<Column, 'anonymous' | 'office' | 'city' | 'expert' | 'observer' | 'sysadmin' | 'secadmin' | 'auditadmin'> = {
	anonymous: 'anonymous',
	office: 'office',
	city: 'city',
	'city-other': 'city',
	expert: 'expert',
	'expert-unassigned': 'expert',
	'expert-conflict': 'expert',
	observer: 'observer',
	sysadmin: 'sysadmin',
	secadmin: 'secadmin',
	auditadmin: 'auditadmin'
};

export type World = {
	app: { id: string; region: string; institutionId: string };
	/** An application of another region that E1 is not assigned to (for object tricks in forms). */
	foreignApp: string;
	experts: { assigned: string; unassigned: string; conflict: string };
	users: Record<Exclude<Column, 'anonymous'>, string>;
	cookies: Record<Column, string | null>;
	/** Full ID numbers and phones stored in the database. */
	idNumbers: string[];
	phones: string[];
};

/** Picks the cast, adds the conflict and the commitments it needs, and signs everyone in. */
export function makeWorld(db: Db): World {
	const batch = defaultBatchRow(db)!;
	const counts = db
		.select({ id: s.assignments.applicationId, n: sql<number>`count(*)` })
		.from(s.assignments)
		.groupBy(s.assignments.applicationId)
		.orderBy(asc(s.assignments.applicationId))
		.all();
	const declared = new Set(db.select().from(s.declarations).all().map((d) => `${d.applicationId}|${d.expertId}`));
	const candidates = counts.filter((c) => c.n >= 3);
	let app: s.ApplicationRow | undefined;
	let assigned: string[] = [];
	for (const c of candidates) {
		app = db.select().from(s.applications).where(eq(s.applications.id, c.id)).get();
		assigned = db
			.select({ e: s.assignments.expertId })
			.from(s.assignments)
			.where(eq(s.assignments.applicationId, c.id))
			.orderBy(asc(s.assignments.expertId))
			.all()
			.map((r) => r.e)
			.filter((e) => !declared.has(`${c.id}|${e}`));
		if (app && assigned.length >= 2) break;
	}
	if (!app || assigned.length < 2) throw new Error('演示数据中没有合适的申报');
	const x = app;
	const e1 = assigned[0];
	const e3 = assigned[1];
	const e2 = db
		.select({ id: s.experts.id })
		.from(s.experts)
		.orderBy(asc(s.experts.id))
		.all()
		.map((r) => r.id)
		.find((id) => !assigned.includes(id) && !db.select().from(s.assignments).where(and(eq(s.assignments.applicationId, x.id), eq(s.assignments.expertId, id))).get())!;
	db.transaction((tx) => {
		tx.insert(s.declarations).values({ applicationId: x.id, expertId: e3, ground: 'other', reason: '授权矩阵测试：申报回避' }).onConflictDoNothing().run();
		for (const e of [e1, e2, e3]) tx.insert(s.commitments).values({ expertId: e, batchId: batch.id, textHash: 'test' }).onConflictDoNothing().run();
	});
	const otherRegion = db
		.select({ region: s.users.region })
		.from(s.users)
		.where(and(eq(s.users.role, 'city'), ne(s.users.region, x.region)))
		.orderBy(asc(s.users.username))
		.get()!.region!;
	const e1Apps = new Set(db.select({ a: s.assignments.applicationId }).from(s.assignments).where(eq(s.assignments.expertId, e1)).all().map((r) => r.a));
	const foreignApp = db
		.select({ id: s.applications.id, region: s.applications.region })
		.from(s.applications)
		.orderBy(asc(s.applications.id))
		.all()
		.find((a) => a.region !== x.region && !e1Apps.has(a.id))!.id;
	const users = {
		office: 'office',
		city: `city-${x.region}`,
		'city-other': `city-${otherRegion}`,
		expert: e1,
		'expert-unassigned': e2,
		'expert-conflict': e3,
		observer: 'observer',
		sysadmin: 'sysadmin',
		secadmin: 'secadmin',
		auditadmin: 'auditadmin'
	};
	const cookies = { anonymous: null } as Record<Column, string | null>;
	for (const [col, username] of Object.entries(users)) cookies[col as Column] = sessionCookie(db, username);
	const { idNumbers, phones } = personalData(db);
	return { app: { id: x.id, region: x.region, institutionId: x.institutionId }, foreignApp, experts: { assigned: e1, unassigned: e2, conflict: e3 }, users, cookies, idNumbers, phones };
}

/**
 * Every full ID number and phone stored (at least 7 characters, so a mask never matches), read back
 * through the loaders (the columns hold SM4 ciphertext; see personal-data.ts).
 */
export function personalData(db: Db): { idNumbers: string[]; phones: string[] } {
	const long = (list: (string | null | undefined)[]) => list.filter((v): v is string => !!v && v.length >= 7);
	const open = opener(db);
	const idNumbers = [
		...new Set(
			long([
				...loadInstitutions(db).map((i) => i.legalRep?.idNumber),
				// The experts' ID numbers (劳务费签领表), when the demo holds them.
				...db.select({ v: s.experts.idNumber }).from(s.experts).all().map((r) => open(r.v))
			])
		)
	];
	const apps = loadApplications(requireScope(db)).map((a) => a.app);
	const phones = [
		...new Set(
			long([
				...apps.map((a) => a.lead?.phone),
				...apps.map((a) => a.contact?.phone),
				...apps.flatMap((a) => a.people.map((p) => p.phone)),
				...loadExperts(db).map((e) => e.phone)
			])
		)
	];
	return { idNumbers, phones };
}

export type Scope = 'application' | 'other' | 'unknown';

/** Values for a route's params, and whether the route is about application X. */
export function paramsFor(client: Database.Database, route: Route, world: World): { values: Record<string, string>; scope: Scope } {
	const values: Record<string, string> = {};
	let scope: Scope = 'other';
	const db = { $client: client };
	const tables = new Set((client.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).pluck().all() as string[]));
	for (const p of route.params) {
		const after = p.after ?? '';
		if (after === 'applications' || /^app(lication)?(Id)?$/i.test(p.name)) {
			values[p.name] = world.app.id;
			scope = 'application';
		} else if (after === 'experts' || p.name === 'expertId') {
			values[p.name] = world.experts.assigned;
		} else if (after === 'attachments' || /attachment/i.test(p.name)) {
			const att = tables.has('attachments')
				? (db.$client.prepare('SELECT id FROM attachments WHERE application_id = ? ORDER BY id').pluck().get(world.app.id) as string | undefined)
				: undefined;
			values[p.name] = att ?? 'no-such-attachment';
			if (att) scope = 'application';
			else if (scope !== 'application') scope = 'unknown';
		} else if (p.name === 'occupation' || (p.name === 'type' && route.params.some((q) => q.name === 'occupation'))) {
			// A review report's group: the occupation and type of application X (a group, not X itself).
			const row = db.$client.prepare('SELECT occupation, type FROM applications WHERE id = ?').get(world.app.id) as { occupation: string; type: string };
			values[p.name] = p.name === 'occupation' ? row.occupation : row.type;
		} else if (after === 'sheets' || p.name === 'sheetId') {
			const sheet = db.$client.prepare('SELECT id FROM score_sheets WHERE application_id = ? ORDER BY id').pluck().get(world.app.id) as number | undefined;
			values[p.name] = String(sheet ?? 'no-such-sheet');
			scope = 'application';
		} else if (after === 'objections') {
			// An objection of the batch the pages show (the default batch); another batch's answers 404.
			const batch = client.prepare('SELECT id FROM batches ORDER BY archived_at IS NOT NULL, created_at DESC, rowid DESC LIMIT 1').pluck().get() as string | undefined;
			const id = tables.has('objections') && batch ? (client.prepare('SELECT id FROM objections WHERE batch_id = ? ORDER BY id').pluck().get(batch) as number | undefined) : undefined;
			values[p.name] = String(id ?? 'no-such-objection');
			if (id === undefined && scope !== 'application') scope = 'unknown';
		} else if (p.name === 'fileId') {
			const id = values.id ? (client.prepare('SELECT id FROM objection_files WHERE objection_id = ? ORDER BY id').pluck().get(values.id) as string | undefined) : undefined;
			values[p.name] = id ?? 'no-such-file';
			if (id === undefined && scope !== 'application') scope = 'unknown';
		} else {
			const table = after.replace(/-/g, '_');
			const first =
				table && tables.has(table)
					? (db.$client.prepare(`SELECT * FROM "${table}" ORDER BY rowid LIMIT 1`).get() as Record<string, unknown> | undefined)
					: undefined;
			if (first && first.id != null) values[p.name] = String(first.id);
			else {
				values[p.name] = p.optional ? '' : 'no-such-thing';
				if (scope !== 'application') scope = 'unknown';
			}
		}
	}
	return { values, scope };
}

export type Verdict = 'allowed' | 'login' | 'forbidden' | 'not-found';

/** What the column may do on the route: the role of the route group, then the object. */
export function expected(route: Route, scope: Scope, column: Column): Verdict {
	const role = ROLE_OF[column];
	if (route.group === 'public') return 'allowed';
	if (role === 'anonymous') return 'login';
	if (route.group !== 'signed-in' && GROUP_ROLE[route.group] !== role) return 'forbidden';
	// The administrators never see application contents: attachments are refused before the object is looked up.
	if (route.group === 'signed-in' && route.id.startsWith('attachments/') && (ADMIN_COLUMNS as readonly string[]).includes(column)) return 'forbidden';
	// Nor do they work in a batch: the header's batch switcher is for the review's roles.
	if (route.id === 'batch' && (ADMIN_COLUMNS as readonly string[]).includes(column)) return 'forbidden';
	if (scope === 'application' && ['city-other', 'expert-unassigned', 'expert-conflict'].includes(column)) return 'not-found';
	return 'allowed';
}
