/**
 * Demo data of the 公示 and the objection register for the archived 第一批: the publicity from
 * 2022-11-14 for 5 working days (to 11-18), closed on its last day; one real-name objection
 * against a proposed institution — accepted, investigated, re-reviewed by the original panel,
 * dismissed (不成立) and answered with a reply letter, with the objector's PDF attached — and one
 * without a real name or facts, 不予受理 with its reason and a reply. Deterministic; writes the
 * tables directly (no phase checks), so it fills a locked or archived batch; does nothing when the
 * batch already has objections.
 */
import { eq } from 'drizzle-orm';
import * as s from '../db/schema';
import type { BatchScope } from '../scope';
import { filesDirFor, storeBlob } from '../files';
import { publicityList } from '../queries/objections';
import { publicityPeriod } from '../../domain/publicity';
import { demoPdf } from './attachments';
import { encryptValue } from '../personal-data';
import { requireKeys } from '../keys';

export const DEMO_PUBLICITY = { start: '2022-11-14', days: 5, closedAt: '2022-11-18T09:00:00.000Z' } as const;

export function seedPublicityDemo(scope: BatchScope, dir = filesDirFor(scope.db.$client.name)): void {
	const { db, batch } = scope;
	if (db.select({ id: s.objections.id }).from(s.objections).where(eq(s.objections.batchId, batch.id)).get()) return;
	const period = publicityPeriod(DEMO_PUBLICITY.start, DEMO_PUBLICITY.days);
	const list = publicityList(scope);
	const first = list[0]?.items[0];
	const second = list.find((g) => g.items.length > 1)?.items[1] ?? list[1]?.items[0] ?? first;
	const pdf = demoPdf('关于申报机构师资情况的反映材料', ['反映人：王建国', '所附：该机构教师名单及网络招聘信息截图', '2022年11月16日'], '王建国');
	const stored = first ? storeBlob(pdf, dir) : null;
	const keys = requireKeys(db);
	db.transaction((tx) => {
		tx.update(s.batches)
			.set({ publicityStart: period.start, publicityEnd: period.end, publicityDays: period.workingDays, publicityClosedAt: DEMO_PUBLICITY.closedAt })
			.where(eq(s.batches.id, batch.id))
			.run();
		if (!first || !second || !stored) return;
		const answered = tx
			.insert(s.objections)
			.values({
				batchId: batch.id,
				applicationId: first.id,
				objectorKind: 'person',
				objectorName: '王建国',
				contact: encryptValue(keys, '13840001234（沈阳市皇姑区黄河南大街）')!,
				grounds: `“${first.institutionName}”申报材料所列专职教师中，有两人同时在其他培训机构任教，并非全职，与申报材料不符。附该机构教师名单及网络招聘信息截图。`,
				receivedDate: '2022-11-16',
				status: 'closed',
				admissionReason: '实名书面反映，有具体事实和证明材料，予以受理',
				admittedAt: '2022-11-16T07:30:00.000Z',
				investigation: '调取了所涉两名教师2022年1月至10月的社会保险缴费记录和劳动合同，并电话核实其工作情况：两人均与该机构签订全日制劳动合同，社会保险由该机构连续缴纳；网络招聘信息为两人此前所在机构未及时删除的旧信息。',
				rereview: true,
				rereviewNotes: '原评审组于2022年11月21日对该机构“师资力量”一项复核，认为申报材料与核查结果一致，维持原评分和拟推荐意见。',
				outcome: 'dismissed',
				outcomeNotes: '所涉两名教师均为该机构全职人员，申报材料属实',
				reply: `你于2022年11月16日提出的关于“${first.institutionName}”的异议收悉。我厅依程序受理后进行了调查核实，并提请原评审组复核：所涉两名教师均与该机构签订全日制劳动合同，社会保险由该机构连续缴纳，申报材料属实。经研究，你所提异议不成立。\n感谢你对评审工作的关心和监督。\n特此函复。`,
				repliedAt: '2022-11-23T02:00:00.000Z',
				createdAt: '2022-11-16T06:00:00.000Z'
			})
			.returning({ id: s.objections.id })
			.get().id;
		tx.insert(s.objectionFiles)
			.values({ id: 'objf-00000000d001', objectionId: answered, filename: '反映材料（王建国）.pdf', mime: 'application/pdf', size: pdf.length, sha256: stored.sha256, uploadedAt: '2022-11-16T06:05:00.000Z' })
			.run();
		tx.insert(s.objections)
			.values({
				batchId: batch.id,
				applicationId: second.id,
				objectorKind: 'person',
				objectorName: '一名知情群众',
				contact: encryptValue(keys, 'zhiqing2022@example.com')!,
				grounds: '听说该机构与评审专家关系密切，评审不公平，请查处。',
				receivedDate: '2022-11-17',
				status: 'rejected',
				admissionReason: '未署真实姓名，所反映问题没有具体事实和证明材料',
				admittedAt: '2022-11-18T01:30:00.000Z',
				reply: `你于2022年11月17日通过电子邮件提出的关于“${second.institutionName}”的意见收悉。经审查，该意见未署真实姓名，所反映问题没有具体事实和证明材料，根据公示要求，决定不予受理。如有具体事实和证据，可实名书面反映。\n特此函复。`,
				repliedAt: '2022-11-18T06:00:00.000Z',
				createdAt: '2022-11-17T03:00:00.000Z'
			})
			.run();
	});
}
