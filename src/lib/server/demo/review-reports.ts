/**
 * The demo's review reports (评审报告). 第一批: every group's report signed by its whole panel
 * before locking — in the app on the meeting's last day, one member on the printed signature page
 * (recorded by the office), and one member signing with a dissent and its reasons. 第二批 (in its
 * meeting, unlocked): two members of one group have signed so far.
 *
 * The signatures store the digest of the report as it stands when this runs, so it must run after
 * every other demo write that the reports cover (re-check corrections, votes, 综合评审意见,
 * replacements, decisions): last before `lockResults` in first-batch.ts, last in seed.ts.
 */
import { eq } from 'drizzle-orm';
import type { BatchScope } from '../scope';
import * as s from '../db/schema';
import { reportGroups } from '../queries/review-report';

export const DEMO_DISSENT =
	'该组排名第一的申报单位近三年培训规模数据中合作培训占比较高，独立开展培训的能力证明不足，本人认为其得分偏高，不同意将其列为拟推荐第一名，建议补充独立培训的佐证材料后再行确认。';

function userOfExpert(scope: BatchScope, expertId: string): string | null {
	return scope.db.select({ id: s.users.id }).from(s.users).where(eq(s.users.expertId, expertId)).get()?.id ?? null;
}

function officeUser(scope: BatchScope): string | null {
	return scope.db.select({ id: s.users.id }).from(s.users).where(eq(s.users.username, 'office')).get()?.id ?? null;
}

/** 第一批: every report fully signed (one member on paper, one dissent), on 2022-11-09 (Beijing morning). */
export function signFirstBatchReports(scope: BatchScope): void {
	const groups = reportGroups(scope).filter((g) => g.status.members.length > 0);
	const office = officeUser(scope);
	scope.db.transaction((tx) => {
		groups.forEach((g, gi) => {
			g.status.members.forEach((m, mi) => {
				const paper = gi === groups.length - 1 && mi === 0;
				const dissent = gi === 0 && mi === 1;
				const minute = String(10 + gi * 3 + mi).padStart(2, '0');
				tx.insert(s.reportSignatures)
					.values({
						batchId: scope.batch.id,
						occupation: g.occupation,
						type: g.type,
						expertId: m.expertId,
						kind: dissent ? 'dissent' : 'agree',
						dissent: dissent ? DEMO_DISSENT : null,
						method: paper ? 'paper' : 'app',
						digest: g.digest,
						userId: paper ? office : userOfExpert(scope, m.expertId),
						signedAt: paper ? '2022-11-09' : `2022-11-09T0${2 + (gi % 6)}:${minute}:00.000Z`
					})
					.onConflictDoNothing()
					.run();
			});
		});
	});
}

/** 第二批 (unlocked): the first two members of the first group with a panel of three or more have signed in the app. */
export function signSomeSecondBatchReports(scope: BatchScope): void {
	const g = reportGroups(scope).find((x) => x.status.members.length >= 3);
	if (!g) return;
	scope.db.transaction((tx) => {
		g.status.members.slice(0, 2).forEach((m, i) => {
			tx.insert(s.reportSignatures)
				.values({
					batchId: scope.batch.id,
					occupation: g.occupation,
					type: g.type,
					expertId: m.expertId,
					kind: 'agree',
					dissent: null,
					method: 'app',
					digest: g.digest,
					userId: userOfExpert(scope, m.expertId),
					signedAt: new Date(Date.now() - (2 - i) * 15 * 60_000).toISOString()
				})
				.onConflictDoNothing()
				.run();
		});
	});
}
