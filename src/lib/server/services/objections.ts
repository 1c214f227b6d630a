/**
 * The objection register (异议) of a batch's 公示 period (domain/objections.ts): registering a
 * real-name objection against an application on the proposed list, 受理 / 不予受理, the handling
 * notes (investigation, re-review by the original panel, outcome), the written reply, closing, and
 * the files that came with it. Each change is one transaction with its audit entry; a refused change
 * writes nothing. The audit detail holds no personal data (no objector name, contact or grounds):
 * ids, dates, statuses and outcomes only.
 */
import fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type * as z from 'zod';
import type { Db } from '../db';
import * as s from '../db/schema';
import { audit, type Actor } from '../audit';
import { batchById, requirePhase, type BatchScope } from '../scope';
import { Refusal } from '../refusal';
import { canWrite } from '../../domain/phases';
import { placeInPeriod } from '../../domain/publicity';
import {
	acceptInput,
	closingProblems,
	handlingInput,
	objectionInput,
	receivedDateProblem,
	refusalFor,
	rejectInput,
	replyInput,
	type ObjectionAction
} from '../../domain/objections';
import { MAX_UPLOAD_BYTES, blobPath, filesDir, safeFilename, sniffMime, storeBlob } from '../files';
import { publicityList } from '../queries/objections';
import { todayInBeijing } from './publicity';
import type { Upload } from './applications';
import { encryptValue } from '../personal-data';
import { requireKeys } from '../keys';
import { MEMO_ISSUER } from '../export/memo-data';
import { renderReply } from '../export/publicity-docx';
import { batchOrdinal } from '../../domain/batch-name';
import { beijingDate } from '../../domain/time';

export class ObjectionError extends Refusal {}

type Tx = Pick<Db, 'select' | 'insert' | 'update' | 'delete'>;

function parsed<T extends z.ZodType>(schema: T, raw: unknown): z.output<T> {
	const r = schema.safeParse(raw);
	if (!r.success) {
		const issue = r.error.issues[0];
		const field = String(issue.path[0] ?? 'form');
		throw new ObjectionError(issue.message, 400, { [field]: issue.message });
	}
	return r.data;
}

const PHASE_MESSAGE = '批次已归档，异议登记只能查看';

/** The objection of this batch, for a change: refused with 404 when it is another batch's or none. */
function loadForChange(tx: Tx, scope: BatchScope, id: number, action: ObjectionAction): typeof s.objections.$inferSelect {
	requirePhase(tx, scope, canWrite, PHASE_MESSAGE);
	const row = Number.isInteger(id) && id > 0 ? tx.select().from(s.objections).where(and(eq(s.objections.id, id), eq(s.objections.batchId, scope.batch.id))).get() : undefined;
	if (!row) throw new ObjectionError('没有找到该异议', 404);
	const why = refusalFor(action, row.status);
	if (why) throw new ObjectionError(why, 409);
	return row;
}

/**
 * Registers an objection. The batch must have opened its publicity; the application must be on
 * the proposed list; the received date may not lie before the period's start (refused) nor after
 * today; after the period's last day it is registered and flagged late (`late` in the answer).
 */
export function fileObjection(scope: BatchScope, raw: Record<string, unknown>, actor: Actor, opts: { today?: string } = {}): { id: number; late: boolean } {
	const input = parsed(objectionInput, raw);
	const today = opts.today ?? todayInBeijing();
	const listed = new Set(publicityList(scope).flatMap((g) => g.items.map((i) => i.id)));
	return scope.db.transaction((tx) => {
		requirePhase(tx, scope, canWrite, PHASE_MESSAGE);
		const b = batchById(tx, scope.batch.id)!;
		if (!b.publicityStart || !b.publicityEnd) throw new ObjectionError('本批次尚未开始公示，不能登记公示异议', 409);
		if (!listed.has(input.applicationId)) throw new ObjectionError('被异议的申报不在本批次拟推荐（公示）名单中', 400, { applicationId: '被异议的申报不在本批次拟推荐（公示）名单中' });
		const place = placeInPeriod(input.receivedDate, { start: b.publicityStart, end: b.publicityEnd });
		const problem = receivedDateProblem(place);
		if (problem) throw new ObjectionError(`${problem}（公示期 ${b.publicityStart} 至 ${b.publicityEnd}）`, 400, { receivedDate: problem });
		if (input.receivedDate > today) throw new ObjectionError('收到日期不能晚于今天', 400, { receivedDate: '收到日期不能晚于今天' });
		const id = tx
			.insert(s.objections)
			.values({ ...input, contact: encryptValue(requireKeys(tx), input.contact)!, batchId: b.id, status: 'received', userId: actor.userId })
			.returning({ id: s.objections.id })
			.get().id;
		const late = place === 'after';
		audit(tx, actor, 'objection.file', 'objection', String(id), { applicationId: input.applicationId, objectorKind: input.objectorKind, receivedDate: input.receivedDate, late });
		return { id, late };
	});
}

export function acceptObjection(scope: BatchScope, id: number, raw: Record<string, unknown>, actor: Actor): void {
	const input = parsed(acceptInput, raw);
	scope.db.transaction((tx) => {
		const o = loadForChange(tx, scope, id, 'accept');
		tx.update(s.objections).set({ status: 'accepted', admissionReason: input.reason || null, admittedAt: new Date().toISOString() }).where(eq(s.objections.id, o.id)).run();
		audit(tx, actor, 'objection.accept', 'objection', String(o.id), { applicationId: o.applicationId });
	});
}

export function rejectObjection(scope: BatchScope, id: number, raw: Record<string, unknown>, actor: Actor): void {
	const input = parsed(rejectInput, raw);
	scope.db.transaction((tx) => {
		const o = loadForChange(tx, scope, id, 'reject');
		tx.update(s.objections).set({ status: 'rejected', admissionReason: input.reason, admittedAt: new Date().toISOString() }).where(eq(s.objections.id, o.id)).run();
		audit(tx, actor, 'objection.reject', 'objection', String(o.id), { applicationId: o.applicationId, reason: input.reason });
	});
}

/** Investigation notes, the re-review flag and notes, the outcome and its notes (of an accepted objection). */
export function recordHandling(scope: BatchScope, id: number, raw: Record<string, unknown>, actor: Actor): void {
	const input = parsed(handlingInput, { ...raw, rereview: raw.rereview === true || raw.rereview === 'on' || raw.rereview === 'true' });
	scope.db.transaction((tx) => {
		const o = loadForChange(tx, scope, id, 'handle');
		const next = {
			investigation: input.investigation || null,
			rereview: input.rereview,
			rereviewNotes: input.rereviewNotes || null,
			outcome: input.outcome || null,
			outcomeNotes: input.outcomeNotes || null
		};
		const changed = (Object.keys(next) as (keyof typeof next)[]).filter((k) => (o[k] ?? null) !== (next[k] ?? null));
		if (!changed.length) return;
		tx.update(s.objections).set(next).where(eq(s.objections.id, o.id)).run();
		audit(tx, actor, 'objection.handle', 'objection', String(o.id), { applicationId: o.applicationId, changed, rereview: next.rereview, outcome: next.outcome });
	});
}

/** The written reply (of an accepted or a rejected objection); the date is the day it is recorded. */
export function recordReply(scope: BatchScope, id: number, raw: Record<string, unknown>, actor: Actor): void {
	const input = parsed(replyInput, raw);
	scope.db.transaction((tx) => {
		const o = loadForChange(tx, scope, id, 'reply');
		tx.update(s.objections).set({ reply: input.reply, repliedAt: new Date().toISOString() }).where(eq(s.objections.id, o.id)).run();
		audit(tx, actor, 'objection.reply', 'objection', String(o.id), { applicationId: o.applicationId, status: o.status, length: [...input.reply].length });
	});
}

/** Closes an accepted objection: it needs the investigation, the outcome (with re-review notes when flagged) and the reply. */
export function closeObjection(scope: BatchScope, id: number, actor: Actor): void {
	scope.db.transaction((tx) => {
		const o = loadForChange(tx, scope, id, 'close');
		const problems = closingProblems(o);
		if (problems.length) throw new ObjectionError(`还不能办结：${problems.join('；')}`, 409);
		tx.update(s.objections).set({ status: 'closed' }).where(eq(s.objections.id, o.id)).run();
		audit(tx, actor, 'objection.close', 'objection', String(o.id), { applicationId: o.applicationId, outcome: o.outcome, rereview: o.rereview });
	});
}

const fileId = () => `objf-${randomBytes(6).toString('hex')}`;

/**
 * Stores a file that came with an objection (PDF, JPEG or PNG by its content, at most 10 MB, as for
 * application attachments), while the objection is received or accepted.
 */
export function addObjectionFile(scope: BatchScope, id: number, file: Upload | null, actor: Actor, opts: { dir?: string } = {}): typeof s.objectionFiles.$inferSelect {
	// The objection and its status first: a refused request learns nothing about the file.
	scope.db.transaction((tx) => void loadForChange(tx, scope, id, 'attach'));
	const size = file ? Math.max(file.size ?? 0, file.bytes.length) : 0;
	if (!file || size === 0) throw new ObjectionError('请选择要上传的文件（文件不能为空）', 400, { file: '请选择要上传的文件' });
	if (size > MAX_UPLOAD_BYTES) {
		const mb = (size / 1024 / 1024).toFixed(1);
		throw new ObjectionError(`文件 ${mb} MB，超过 10 MB 的上限`, 413, { file: `文件 ${mb} MB，超过 10 MB 的上限` });
	}
	const mime = sniffMime(file.bytes);
	if (!mime) {
		const msg = `「${file.name}」不是 PDF、JPEG 或 PNG 文件（按文件内容判断，与扩展名无关）`;
		throw new ObjectionError(msg, 400, { file: msg });
	}
	const stored = storeBlob(file.bytes, opts.dir ?? filesDir());
	return scope.db.transaction((tx) => {
		const o = loadForChange(tx, scope, id, 'attach');
		const row = {
			id: fileId(),
			objectionId: o.id,
			filename: safeFilename(file.name, mime),
			mime,
			size: file.bytes.length,
			sha256: stored.sha256,
			uploadedBy: actor.userId,
			uploadedAt: new Date().toISOString()
		};
		tx.insert(s.objectionFiles).values(row).run();
		audit(tx, actor, 'objection.file-upload', 'objection', String(o.id), { fileId: row.id, mime, size: row.size, sha256: row.sha256 });
		return row;
	});
}

/** A file of one of the batch's objections and where its bytes are (null when none or another batch's). */
export function objectionFile(scope: BatchScope, objectionId: number, id: string, dir = filesDir()) {
	if (!/^objf-[0-9a-f]{12}$/.test(id)) return null;
	const row = scope.db
		.select({ f: s.objectionFiles })
		.from(s.objectionFiles)
		.innerJoin(s.objections, eq(s.objections.id, s.objectionFiles.objectionId))
		.where(and(eq(s.objectionFiles.id, id), eq(s.objectionFiles.objectionId, objectionId), eq(s.objections.batchId, scope.batch.id)))
		.get()?.f;
	if (!row) return null;
	const path = blobPath(row.sha256, dir);
	return fs.existsSync(path) ? { row, path } : null;
}

/** The reply letter (.docx) of an objection with a recorded reply (accepted, rejected or closed). */
export async function replyLetter(scope: BatchScope, id: number): Promise<{ body: Buffer; filename: string }> {
	const o = Number.isInteger(id) && id > 0 ? scope.db.select().from(s.objections).where(and(eq(s.objections.id, id), eq(s.objections.batchId, scope.batch.id))).get() : undefined;
	if (!o) throw new ObjectionError('没有找到该异议', 404);
	if (!o.reply) throw new ObjectionError('该异议尚未填写书面答复', 409);
	const body = await renderReply({ issuer: MEMO_ISSUER, objectorName: o.objectorName, reply: o.reply, date: beijingDate(o.repliedAt ?? new Date()), ordinal: batchOrdinal(scope.batch.name) });
	return { body, filename: `异议答复函-${o.id}.docx` };
}
