/**
 * The draw record (抽取记录): one printable record per draw with its time, scope, seed, operator,
 * settings, the experts drawn and the alternates per application, the experts the rating threshold
 * left out, the replacements made since, and the supervisor's confirmation.
 *
 * Draws made by this version keep what they drew in `draws.summary` (drawn, alternates): the
 * record shows the draw as it was even after replacements or a re-draw. For older draws the record
 * is rebuilt from the tables (assignments and alternates still holding the draw's id, and the
 * replacements of its seats); the page says so.
 */
import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import * as s from '../db/schema';
import type { BatchScope } from '../scope';
import { Refusal } from '../refusal';
import { replacementHistory, type ReplacementView } from './invitations';
import { occupationShort } from '../../domain/occupations';

type DrawRow = typeof s.draws.$inferSelect;
type Summary = {
	drawn?: Record<string, string[]>;
	alternates?: Record<string, string[]>;
	skippedBlocking?: string[];
	unfilledReasons?: { applicationId: string; missing: number; reason: string }[];
};

export type DrawListItem = {
	id: number;
	at: string;
	scope: string;
	scopeLabel: string;
	seed: string;
	made: number;
	operator: string;
	confirmedBy: string | null;
	confirmedAt: string | null;
};

export function scopeLabel(scope: string): string {
	return scope === 'all' ? '全部职业' : occupationShort(scope);
}

function userNames(scope: BatchScope): Map<string, string> {
	return new Map(scope.db.select({ id: s.users.id, name: s.users.displayName }).from(s.users).all().map((u) => [u.id, u.name]));
}

/** Who made the draw: the account's name, else the actor of its audit entry (the command line). */
function operatorOf(scope: BatchScope, d: DrawRow, users: Map<string, string>): string {
	if (d.userId && users.has(d.userId)) return users.get(d.userId)!;
	const entry = scope.db
		.select({ actor: s.auditLog.actor })
		.from(s.auditLog)
		.where(and(eq(s.auditLog.action, 'assignment.draw'), eq(s.auditLog.entity, 'draw'), eq(s.auditLog.entityId, String(d.id))))
		.get();
	return entry?.actor === 'cli' ? '命令行' : (entry?.actor ?? '—');
}

/** The batch's draws, newest first. */
export function drawList(scope: BatchScope): DrawListItem[] {
	const users = userNames(scope);
	return scope.db
		.select()
		.from(s.draws)
		.where(eq(s.draws.batchId, scope.batch.id))
		.orderBy(desc(s.draws.at), desc(s.draws.id))
		.all()
		.map((d) => ({
			id: d.id,
			at: d.at,
			scope: d.scope,
			scopeLabel: scopeLabel(d.scope),
			seed: d.seed,
			made: d.made,
			operator: operatorOf(scope, d, users),
			confirmedBy: d.confirmedBy ? (users.get(d.confirmedBy) ?? d.confirmedBy) : null,
			confirmedAt: d.confirmedAt
		}));
}

export type RecordExpert = { id: string; name: string; workUnit: string | null; title: string | null };

export type DrawRecord = {
	id: number;
	batchName: string;
	at: string;
	scope: string;
	scopeLabel: string;
	seed: string;
	operator: string;
	settings: { perApplication: number; maxLoad: number | null; onePerUnit: boolean };
	made: number;
	/** The record comes from the snapshot taken at the draw (false: rebuilt from the tables). */
	exact: boolean;
	applications: {
		id: string;
		institutionName: string;
		occupation: string;
		type: 'training' | 'evaluation';
		region: string;
		drawn: (RecordExpert & { replacedBy: string | null })[];
		alternates: (RecordExpert & { rank: number; seated: boolean })[];
	}[];
	excluded: (RecordExpert & { average: number })[];
	skippedBlocking: { id: string; institutionName: string }[];
	unfilled: { id: string; institutionName: string; missing: number; reason: string }[];
	replacements: ReplacementView[];
	confirmedBy: string | null;
	confirmedAt: string | null;
};

/** One draw of the batch as its record; 404 for a draw of another batch or none. */
export function drawRecord(scope: BatchScope, drawId: number): DrawRecord {
	const db = scope.db;
	const d = Number.isInteger(drawId)
		? db.select().from(s.draws).where(and(eq(s.draws.id, drawId), eq(s.draws.batchId, scope.batch.id))).get()
		: undefined;
	if (!d) throw new Refusal('没有这条抽取记录', 404);
	const users = userNames(scope);
	const summary = (d.summary ?? {}) as Summary;
	const replacements = replacementHistory(scope, { drawId: d.id });
	const exact = !!summary.drawn;

	let drawn: Record<string, string[]>;
	let alternates: Record<string, string[]>;
	if (exact) {
		drawn = summary.drawn ?? {};
		alternates = summary.alternates ?? {};
	} else {
		drawn = {};
		alternates = {};
		for (const a of db.select().from(s.assignments).where(eq(s.assignments.drawId, d.id)).all()) (drawn[a.applicationId] ??= []).push(a.expertId);
		// A seat of this draw that was replaced: the expert who left it was drawn, unless they came in by a replacement themselves.
		const incoming = new Set(replacements.filter((r) => r.to).map((r) => `${r.applicationId}|${r.to!.id}`));
		for (const r of [...replacements].reverse()) {
			if (!incoming.has(`${r.applicationId}|${r.from.id}`)) (drawn[r.applicationId] ??= []).push(r.from.id);
		}
		for (const a of db.select().from(s.alternates).where(eq(s.alternates.drawId, d.id)).orderBy(asc(s.alternates.rank)).all()) {
			(alternates[a.applicationId] ??= []).push(a.expertId);
		}
		for (const r of [...replacements].reverse()) if (r.to && !(alternates[r.applicationId] ?? []).includes(r.to.id)) (alternates[r.applicationId] ??= []).push(r.to.id);
	}

	const appIds = [...new Set([...Object.keys(drawn), ...Object.keys(alternates), ...(summary.skippedBlocking ?? []), ...(summary.unfilledReasons ?? []).map((u) => u.applicationId)])];
	const apps = new Map(
		(appIds.length
			? db
					.select({ id: s.applications.id, occupation: s.applications.occupation, type: s.applications.type, region: s.applications.region, institutionName: s.institutions.name })
					.from(s.applications)
					.innerJoin(s.institutions, eq(s.applications.institutionId, s.institutions.id))
					.where(and(inArray(s.applications.id, appIds), eq(s.applications.batchId, scope.batch.id)))
					.all()
			: []
		).map((a) => [a.id, a])
	);
	const experts = new Map(db.select().from(s.experts).all().map((e) => [e.id, e]));
	const person = (id: string): RecordExpert => {
		const e = experts.get(id);
		return { id, name: e?.name ?? id, workUnit: e?.workUnit ?? null, title: e?.title ?? null };
	};
	// The first replacement of each seat (oldest first): who took over from the drawn expert.
	const replacedBy = new Map<string, string>();
	const seatedAlternates = new Set<string>();
	for (const r of [...replacements].reverse()) {
		const key = `${r.applicationId}|${r.from.id}`;
		if (!replacedBy.has(key)) replacedBy.set(key, r.to?.name ?? '（空缺）');
		if (r.to) seatedAlternates.add(`${r.applicationId}|${r.to.id}`);
	}
	const applications = appIds
		.filter((id) => apps.has(id) && (drawn[id]?.length || alternates[id]?.length))
		.map((id) => {
			const a = apps.get(id)!;
			return {
				id,
				institutionName: a.institutionName,
				occupation: a.occupation,
				type: a.type,
				region: a.region,
				drawn: (drawn[id] ?? []).map((e) => ({ ...person(e), replacedBy: replacedBy.get(`${id}|${e}`) ?? null })),
				alternates: (alternates[id] ?? []).map((e, i) => ({ ...person(e), rank: i + 1, seated: seatedAlternates.has(`${id}|${e}`) }))
			};
		})
		.sort((x, y) => x.occupation.localeCompare(y.occupation) || x.type.localeCompare(y.type) || x.institutionName.localeCompare(y.institutionName, 'zh'));
	const name = (id: string) => apps.get(id)?.institutionName ?? id;
	return {
		id: d.id,
		batchName: scope.batch.name,
		at: d.at,
		scope: d.scope,
		scopeLabel: scopeLabel(d.scope),
		seed: d.seed,
		operator: operatorOf(scope, d, users),
		settings: { perApplication: d.perApplication, maxLoad: d.maxLoad, onePerUnit: d.onePerUnit },
		made: d.made,
		exact,
		applications,
		excluded: (d.excluded ?? []).map((x) => ({ ...person(x.expertId), average: x.average })),
		skippedBlocking: (summary.skippedBlocking ?? []).map((id) => ({ id, institutionName: name(id) })),
		unfilled: (summary.unfilledReasons ?? []).map((u) => ({ id: u.applicationId, institutionName: name(u.applicationId), missing: u.missing, reason: u.reason })),
		replacements,
		confirmedBy: d.confirmedBy ? (users.get(d.confirmedBy) ?? d.confirmedBy) : null,
		confirmedAt: d.confirmedAt
	};
}
