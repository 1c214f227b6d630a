/**
 * Loads the demo batch into an empty database: the generated bundle, one account per role
 * (every city and every expert; the three administrators), published assignments, and PDF/PNG
 * files for the materials the applications have on file (demo/attachments.ts). Returns the logins to print.
 */
import { sql } from 'drizzle-orm';
import type { Db } from '../db';
import * as s from '../db/schema';
import { generateDemoBundle } from './generate';
import { importBundle } from '../services/bundle-import';
import { createUser } from '../services/users';
import { audit, SYSTEM_ACTOR } from '../audit';
import { REGIONS } from '../../domain/regions';
import { eq } from 'drizzle-orm';
import { FIRST_BATCH, seedFirstBatch } from './first-batch';
import { seedSecondBatchRecheck } from './recheck';
import { seedStandingDemo } from './standing';
import { seedMemoSettings } from './memo-settings';
import { seedDrawLogistics } from './draw-logistics';
import { seedSecondBatchVotes } from './votes';
import { signSomeSecondBatchReports } from './review-reports';
import { seedMeetingAttendance } from './fees';
import { seedExpertRatings } from './expert-ratings';
import { requireScope } from '../scope';
import { filesDirFor } from '../files';
import { seedDemoAttachments } from './attachments';

export const DEMO_PASSWORDS = {
	office: 'Office2023demo',
	city: 'City2023demo',
	expert: 'Expert2023demo',
	observer: 'Observer2023demo',
	sysadmin: 'Sys-Admin-2023',
	secadmin: 'Sec-Admin-2023',
	auditadmin: 'Aud-Admin-2023'
} as const;

export type DemoLogin = { role: string; username: string; password: string; who: string };

export function isEmpty(db: Db): boolean {
	const n = db.select({ n: sql<number>`count(*)` }).from(s.applications).get()?.n ?? 0;
	const b = db.select({ n: sql<number>`count(*)` }).from(s.batches).get()?.n ?? 0;
	return n === 0 && b === 0;
}

export async function seedDemo(db: Db): Promise<DemoLogin[]> {
	const bundle = generateDemoBundle();
	importBundle(db, bundle, SYSTEM_ACTOR);
	const logins: DemoLogin[] = [];
	const add = async (role: keyof typeof DEMO_PASSWORDS, username: string, displayName: string, extra: { region?: string; expertId?: string } = {}) => {
		await createUser(
			db,
			{ username, displayName, role, region: extra.region ?? null, expertId: extra.expertId ?? null, password: DEMO_PASSWORDS[role] },
			SYSTEM_ACTOR,
			// The documented demo passwords, as printed (not forced to change; expiry counts from now).
			{ demo: true }
		);
		logins.push({ role, username, password: DEMO_PASSWORDS[role], who: displayName });
	};
	await add('office', 'office', '刘超群（人才开发处）');
	await add('office', 'chair', '杨帅（人才开发处，会议主持）');
	await add('observer', 'observer', '厅机关纪委 监督员');
	// 三员分立: three administrators, each with its own account.
	await add('sysadmin', 'sysadmin', '信息中心 系统管理员');
	await add('secadmin', 'secadmin', '信息中心 安全管理员');
	await add('auditadmin', 'auditadmin', '厅机关纪委 审计管理员');
	for (const r of REGIONS) await add('city', `city-${r.key}`, r.unit, { region: r.key });
	for (const e of bundle.experts) await add('expert', e.id, e.name, { expertId: e.id });
	// Real files (PDF, PNG) for the materials the demo's applications have on file, beside the database.
	const files = seedDemoAttachments(requireScope(db, bundle.batch.id), filesDirFor(db.$client.name));
	db.transaction((tx) => {
		tx.update(s.batches)
			.set({ assignmentsPublishedAt: new Date().toISOString(), scoringDeadline: '2023-07-10', createdAt: '2023-05-31T01:00:00.000Z' })
			.where(eq(s.batches.id, bundle.batch.id))
			.run();
		// Experts who already scored have signed the commitment; the others sign it on first sign-in.
		const scored = new Set(bundle.scores.map((x) => x.expertId));
		for (const id of scored) {
			tx.insert(s.commitments).values({ expertId: id, batchId: bundle.batch.id, textHash: 'demo' }).onConflictDoNothing().run();
		}
		audit(tx, SYSTEM_ACTOR, 'demo.seed', 'batch', bundle.batch.id, { applications: bundle.applications.length, experts: bundle.experts.length, attachments: files });
	});
	// The first batch (2022), finished and archived: the header switches between the two.
	seedFirstBatch(db, bundle);
	// 第二批's re-check: one offline workbook's typed total does not match its points (open for the office).
	seedSecondBatchRecheck(requireScope(db, bundle.batch.id));
	// The draw's logistics in 第二批: invitations answered, one decline replaced, a confirmed draw record.
	seedDrawLogistics(requireScope(db, bundle.batch.id));
	// The meeting's votes: opinions on two applications and one closed vote (not on the browser tests' app-01 and app-15).
	seedSecondBatchVotes(requireScope(db, bundle.batch.id), { avoid: ['app-01', 'app-15'] });
	// The meeting's days and attendance (one expert left early), for the 劳务费签领表 of both batches.
	seedMeetingAttendance(requireScope(db, bundle.batch.id));
	seedMeetingAttendance(requireScope(db, FIRST_BATCH.id), { standard: { senior: 1600, other: 1000 } });
	// 第一批's 履职评价 (due 5 working days after its meeting; one with the expert's reply, one late).
	seedExpertRatings(requireScope(db, FIRST_BATCH.id));
	// The directory from 第一批's proposed applications, and experts' standing profiles (one FORMER_UNIT in 第二批).
	seedStandingDemo(requireScope(db, FIRST_BATCH.id), requireScope(db, bundle.batch.id));
	// The memo's 版头 and 版记 (发文字号, 签发人, 抄送, 印发机关) of both batches.
	seedMemoSettings(db);
	// Two signatures on one group's review report in 第二批 (last: the digest covers the demo data above).
	signSomeSecondBatchReports(requireScope(db, bundle.batch.id));
	return logins;
}
