/**
 * Reads a filled offline score form (export/offline-sheet.ts) back: checks it is an .xlsx by its
 * content, that every worksheet is an application assigned to this expert, and every points cell
 * (a number in [0, maxPoints] in 0.5 steps), naming the cell: “工作表「app-12」 C7：超过满分 20 分”.
 * The preview says per application exactly what would change (old → new points and comments);
 * nothing is written until the expert applies it, and then all drafts are saved in one
 * transaction through saveSheet (version check) or none. Submitted sheets are never changed; a
 * sheet changed on the server since the download is a conflict, applied only when the expert
 * explicitly chooses to overwrite it.
 */
import ExcelJS from 'exceljs';
import * as z from 'zod';
import { and, eq } from 'drizzle-orm';
import * as s from '../db/schema';
import type { Db } from '../db';
import { audit, type Actor } from '../audit';
import { requirePhase, type BatchScope } from '../scope';
import { batchPhase, canChangeScores } from '../../domain/phases';
import { expertTasks, type ExpertTask } from '../queries/reviews';
import { ScoringError, getSheet, saveSheet, type SheetView } from '../services/scoring';
import { LAYOUT, META_SHEET, OFFLINE_MARKER, totalRow, overallRow } from '../export/offline-sheet';
import { zipEntries } from './unzip';
import { openUserWorkbook, unreadableWorkbook } from './workbook';
import { unescapeCellText } from '../export/cell-text';
import { isHalfStep, pointsProblems } from '../../domain/rubric';
import { Refusal } from '../refusal';

export const MAX_OFFLINE_BYTES = 5 * 1024 * 1024;
const MAX_PROBLEMS = 100;

export type OfflineProblem = { sheet: string | null; cell: string | null; message: string };

/** “工作表「app-12」 C7：超过满分 20 分”; a problem of the whole file is its message alone. */
export function formatOfflineProblem(p: OfflineProblem): string {
	if (!p.sheet) return p.message;
	return `工作表「${p.sheet}」${p.cell ? ` ${p.cell}` : ''}：${p.message}`;
}

export class OfflineImportError extends Error {
	constructor(public problems: string[]) {
		super(problems[0] ?? '离线评分表有误');
	}
}

/* ---------------------------------------------------------------- reading cells */

type Cell = ExcelJS.CellValue;

function isFormula(v: Cell): boolean {
	return !!v && typeof v === 'object' && ('formula' in v || 'sharedFormula' in v);
}

/** The text of a cell (rich text and hyperlinks flattened); numbers as written; null when empty. */
function cellText(v: Cell): string | null {
	if (v === null || v === undefined) return null;
	if (typeof v === 'string') return v;
	if (typeof v === 'number' || typeof v === 'boolean') return String(v);
	if (v instanceof Date) return v.toISOString().slice(0, 10);
	if (typeof v === 'object' && 'richText' in v) return v.richText.map((r) => r.text).join('');
	if (typeof v === 'object' && 'text' in v && typeof (v as { text: unknown }).text === 'string') return (v as { text: string }).text;
	return null;
}

/** Undoes the export's formula-injection guard (export/cell-text.ts): `'=…` → `=…`. */
const unescapeText = unescapeCellText;

type ReadPoints = { value: number | null } | { error: string };

/** A points cell: empty → null; a number, or text like “12.5” / “１２，５”; formulas are refused. */
export function readPointsCell(v: Cell): ReadPoints {
	if (v === null || v === undefined) return { value: null };
	if (isFormula(v)) return { error: '请直接填写分数，不要使用公式' };
	if (typeof v === 'number') return Number.isFinite(v) ? { value: v } : { error: '应填写数字（如 12 或 12.5）' };
	const t = cellText(v);
	if (t === null) return { error: '应填写数字（如 12 或 12.5）' };
	const norm = t.normalize('NFKC').trim().replace(/[，,]/g, '.').replace(/分$/, '');
	if (norm === '') return { value: null };
	if (!/^[+-]?\d+(\.\d+)?$/.test(norm)) return { error: `应填写数字（如 12 或 12.5），而不是“${t.trim().slice(0, 20)}”` };
	return { value: Number(norm) };
}

/** The problem with points against a maximum, in the words of the upload page; null when fine. */
export function pointsCellProblem(value: number, max: number): string | null {
	const m = String(max);
	if (value < 0) return '得分不能为负数';
	if (value > max) return `超过满分 ${m} 分`;
	if (!isHalfStep(value)) return '得分须为 0.5 的整数倍（如 12 或 12.5）';
	return null;
}

/**
 * The total cell (合计) as a declared total: a number typed over the formula, or another formula's
 * computed value. The export's own SUM formula left as it is declares nothing (it is the sum by
 * construction, and a program that does not recalculate may have left a stale cached value).
 */
export function readTotalCell(v: Cell, expectedFormula: string): { value: number | null } | { error: string } {
	if (v === null || v === undefined) return { value: null };
	if (isFormula(v)) {
		const f = v as { formula?: string; sharedFormula?: string; result?: unknown };
		const text = (f.formula ?? f.sharedFormula ?? '').replace(/^=/, '').replace(/\s+/g, '').toUpperCase();
		if (text === expectedFormula.toUpperCase()) return { value: null };
		return typeof f.result === 'number' && Number.isFinite(f.result) ? totalInRange(f.result) : { value: null };
	}
	if (typeof v === 'number') return Number.isFinite(v) ? totalInRange(v) : { error: '合计应填写数字' };
	const t = cellText(v);
	if (t === null) return { error: '合计应填写数字' };
	const norm = t.normalize('NFKC').trim().replace(/[，,]/g, '.').replace(/分$/, '');
	if (norm === '') return { value: null };
	if (!/^[+-]?\d+(\.\d+)?$/.test(norm)) return { error: `合计应填写数字，而不是“${t.trim().slice(0, 20)}”` };
	return totalInRange(Number(norm));
}

function totalInRange(x: number): { value: number } | { error: string } {
	return x < 0 || x > 1000 ? { error: '合计应在 0 到 1000 分之间' } : { value: x };
}

/* ---------------------------------------------------------------- the workbook */

type RawRow = { criterionId: string; row: number; points: ReadPoints; comment: string; commentError: string | null };
type RawEntry = {
	sheet: string;
	applicationId: string;
	version: number;
	status: string;
	rubricId: string;
	ws: ExcelJS.Worksheet;
};

/** Rejects what is not an .xlsx by its bytes (an .xls, a renamed .docx, a text file …). */
export function xlsxContentProblem(buf: Buffer, fileName = '上传的工作簿'): string | null {
	if (buf.length === 0) return '上传的文件是空的';
	if (buf.length >= 8 && buf.readUInt32BE(0) === 0xd0cf11e0) return '上传的文件是旧版 Excel（.xls）格式，请用“下载离线评分表”得到的 .xlsx 文件';
	if (buf.length < 4 || buf.readUInt32LE(0) !== 0x04034b50) return '上传的文件不是 Excel 工作簿（.xlsx）';
	try {
		const names = new Set(zipEntries(buf).map((e) => e.name));
		if (!names.has('[Content_Types].xml') || !names.has('xl/workbook.xml')) return '上传的文件不是 Excel 工作簿（.xlsx）（压缩包里没有工作簿）';
	} catch {
		return unreadableWorkbook(fileName);
	}
	return null;
}

async function loadWorkbook(buf: Buffer, fileName: string): Promise<{ wb: ExcelJS.Workbook } | { problem: string }> {
	if (buf.length > MAX_OFFLINE_BYTES) return { problem: `文件太大（超过 ${MAX_OFFLINE_BYTES / 1024 / 1024} MB），不是离线评分表` };
	const bad = xlsxContentProblem(buf, fileName);
	if (bad) return { problem: bad };
	// Checked (zip bombs), repaired when another program saved it, opened; else one Chinese sentence.
	return openUserWorkbook(buf, fileName);
}

const metaCell = (ws: ExcelJS.Worksheet, row: number) => ws.getCell(`${LAYOUT.metaCol}${row}`).value;

/* ---------------------------------------------------------------- preview */

export type CriterionChange = {
	criterionId: string;
	name: string;
	maxPoints: number;
	oldPoints: number | null;
	newPoints: number | null;
	oldComment: string;
	newComment: string;
};

/** One application's draft as it will be saved (the hidden form field of the preview page carries these). */
export type PlanItem = {
	applicationId: string;
	/** The stored version the preview was computed against. */
	baseVersion: number;
	/** The stored sheet changed since the download: applied only when the expert chooses to overwrite. */
	conflict: boolean;
	points: Record<string, number | null>;
	/** The total cell as typed (see readTotalCell); null when the formula was left alone. Kept as the sheet's declared total for the re-check. */
	declaredTotal: number | null;
	comments: Record<string, string>;
	comment: string;
};

export type PreviewKind = 'change' | 'unchanged' | 'conflict' | 'submitted';

export type PreviewItem = {
	applicationId: string;
	sheet: string;
	institutionName: string;
	occupation: string;
	type: 'training' | 'evaluation';
	kind: PreviewKind;
	fileVersion: number;
	serverVersion: number;
	changes: CriterionChange[];
	comment: { old: string; new: string } | null;
	oldTotal: number;
	newTotal: number;
	/** The total the workbook declares (null: the formula, i.e. the sum). */
	declaredTotal: number | null;
	warnings: string[];
	plan: PlanItem | null;
};

export type OfflinePreview = { problems: string[]; items: PreviewItem[]; plan: PlanItem[] };

const APP_ID = /^[A-Za-z0-9][A-Za-z0-9._:@-]{0,120}$/;

/**
 * Reads the workbook and compares it with the stored sheets of this expert. `problems` non-empty
 * means the file cannot be applied at all (then `items` and `plan` are empty).
 */
export async function previewOfflineWorkbook(scope: BatchScope, expertId: string, buf: Buffer, fileName = '上传的工作簿'): Promise<OfflinePreview> {
	const { db } = scope;
	const none = (problems: string[]): OfflinePreview => ({ problems, items: [], plan: [] });
	const loaded = await loadWorkbook(buf, fileName);
	if ('problem' in loaded) return none([loaded.problem]);
	const { wb } = loaded;
	const problems: OfflineProblem[] = [];
	const add = (sheet: string | null, cell: string | null, message: string) => {
		if (problems.length < MAX_PROBLEMS) problems.push({ sheet, cell, message });
	};

	const meta = wb.getWorksheet(META_SHEET);
	if (meta && cellText(meta.getCell('A1').value) === OFFLINE_MARKER) {
		const owner = cellText(meta.getCell('A2').value);
		if (owner && owner !== expertId) return none(['这份离线评分表是为另一位评审专家生成的，不能由您的账号上传；请下载您自己的离线评分表']);
	}
	if (!canChangeScores(batchPhase(scope.batch))) return none([scope.batch.archivedAt ? '该批次已归档，不能再修改评分' : '评审结果已锁定，不能再修改评分']);

	const entries: RawEntry[] = [];
	for (const ws of wb.worksheets) {
		if (ws.name === META_SHEET) continue;
		if (cellText(metaCell(ws, 1)) !== OFFLINE_MARKER) continue;
		const applicationId = (cellText(metaCell(ws, 2)) ?? '').trim();
		const versionText = cellText(metaCell(ws, 3)) ?? '';
		const version = /^\d+$/.test(versionText) ? Number(versionText) : NaN;
		if (!APP_ID.test(applicationId) || !Number.isInteger(version)) {
			add(ws.name, null, '工作表中隐藏的申报编号或版本已损坏，请重新下载离线评分表');
			continue;
		}
		entries.push({
			sheet: ws.name,
			applicationId,
			version,
			status: cellText(metaCell(ws, 4)) ?? '',
			rubricId: cellText(metaCell(ws, 5)) ?? '',
			ws
		});
	}
	if (entries.length === 0 && problems.length === 0) {
		return none(['文件中没有离线评分表的工作表：请上传从“下载离线评分表”得到的 .xlsx 文件']);
	}

	const tasks = new Map<string, ExpertTask>(expertTasks(scope, expertId).tasks.map((t) => [t.applicationId, t]));
	const seen = new Map<string, string>();
	const readable: { e: RawEntry; task: ExpertTask; server: SheetView; rows: RawRow[]; comment: string; declaredTotal: number | null }[] = [];
	for (const e of entries) {
		const B2 = `${LAYOUT.nameCol}2`;
		if (seen.has(e.applicationId)) {
			add(e.sheet, null, `申报 ${e.applicationId} 与工作表「${seen.get(e.applicationId)}」重复`);
			continue;
		}
		seen.set(e.applicationId, e.sheet);
		const task = tasks.get(e.applicationId);
		if (!task) {
			add(e.sheet, B2, `申报 ${e.applicationId} 不是分配给您的评审任务（或已回避、尚未发布），不能上传`);
			continue;
		}
		const server = getSheet(db, e.applicationId, expertId);
		const rubric = server.rubric;
		if (e.rubricId !== rubric.id) {
			add(e.sheet, null, `评分细则已更新（${e.rubricId || '未知'} → ${rubric.id}），请重新下载离线评分表后再填写`);
			continue;
		}
		const n = rubric.criteria.length;
		let structural = false;
		rubric.criteria.forEach((c, i) => {
			const r = LAYOUT.firstCriterionRow + i;
			const id = (cellText(e.ws.getCell(`${LAYOUT.idCol}${r}`).value) ?? '').trim();
			if (id !== c.id && !structural) {
				structural = true;
				add(e.sheet, `${LAYOUT.idCol}${r}`, `此处应为评分项“${c.name}”（${c.id}）：评分细则已调整或表格结构被改动，请重新下载离线评分表`);
			}
		});
		const after = (cellText(e.ws.getCell(`${LAYOUT.idCol}${totalRow(n)}`).value) ?? '').trim();
		if (!structural && after !== '') {
			structural = true;
			add(e.sheet, `${LAYOUT.idCol}${totalRow(n)}`, `多出评分项“${after}”：评分细则已调整或表格结构被改动，请重新下载离线评分表`);
		}
		if (structural) continue;

		const rows: RawRow[] = rubric.criteria.map((c, i) => {
			const r = LAYOUT.firstCriterionRow + i;
			const raw = e.ws.getCell(`${LAYOUT.commentCol}${r}`).value;
			const t = isFormula(raw) ? null : cellText(raw);
			return {
				criterionId: c.id,
				row: r,
				points: readPointsCell(e.ws.getCell(`${LAYOUT.pointsCol}${r}`).value),
				comment: unescapeText((t ?? '').trim()),
				commentError: isFormula(raw) ? '请直接填写文字，不要使用公式' : null
			};
		});
		rows.forEach((row, i) => {
			const c = rubric.criteria[i];
			const at = `${LAYOUT.pointsCol}${row.row}`;
			if ('error' in row.points) add(e.sheet, at, row.points.error);
			else if (row.points.value !== null) {
				const p = pointsCellProblem(row.points.value, c.maxPoints);
				if (p) add(e.sheet, at, p);
			}
			if (row.commentError) add(e.sheet, `${LAYOUT.commentCol}${row.row}`, row.commentError);
			else if (row.comment.length > 2000) add(e.sheet, `${LAYOUT.commentCol}${row.row}`, '本项评语不能超过2000字');
		});
		const overallRef = `${LAYOUT.pointsCol}${overallRow(n)}`;
		const overallRaw = e.ws.getCell(overallRef).value;
		let comment = '';
		if (isFormula(overallRaw)) add(e.sheet, overallRef, '请直接填写文字，不要使用公式');
		else {
			comment = unescapeText((cellText(overallRaw) ?? '').trim());
			if (comment.length > 5000) add(e.sheet, overallRef, '总体评审意见不能超过5000字');
		}
		const totalRef = `${LAYOUT.pointsCol}${totalRow(n)}`;
		const first = LAYOUT.firstCriterionRow;
		const total = readTotalCell(e.ws.getCell(totalRef).value, `SUM(${LAYOUT.pointsCol}${first}:${LAYOUT.pointsCol}${first + n - 1})`);
		if ('error' in total) add(e.sheet, totalRef, total.error);
		readable.push({ e, task, server, rows, comment, declaredTotal: 'value' in total ? total.value : null });
	}
	if (problems.length) return none(problems.map(formatOfflineProblem));

	const items: PreviewItem[] = [];
	for (const { e, task, server, rows, comment, declaredTotal } of readable) {
		const warnings: string[] = [];
		const points: Record<string, number | null> = {};
		const comments: Record<string, string> = {};
		const changes: CriterionChange[] = [];
		server.rubric.criteria.forEach((c, i) => {
			const row = rows[i];
			const value = 'value' in row.points ? row.points.value : null;
			points[c.id] = value;
			// A comment is stored with its points only (as on the scoring page).
			let newComment = row.comment;
			if (newComment && value === null) {
				warnings.push(`“${c.name}”未填得分，其评语不会保存（${LAYOUT.commentCol}${row.row}）`);
				newComment = '';
			}
			if (newComment) comments[c.id] = newComment;
			const oldPoints = server.points[c.id] ?? null;
			const oldComment = (server.comments[c.id] ?? '').trim();
			if (oldPoints !== value || oldComment !== newComment) {
				changes.push({ criterionId: c.id, name: c.name, maxPoints: c.maxPoints, oldPoints, newPoints: value, oldComment, newComment });
			}
		});
		const oldComment = server.comment.trim();
		const commentChange = oldComment !== comment ? { old: oldComment, new: comment } : null;
		const storedDeclared = server.id === null ? null : (db.select({ d: s.sheets.declaredTotal }).from(s.sheets).where(eq(s.sheets.id, server.id)).get()?.d ?? null);
		const differs = changes.length > 0 || commentChange !== null || storedDeclared !== declaredTotal;
		const newTotal = Object.values(points).reduce<number>((a, p) => a + (p ?? 0), 0);
		if (declaredTotal !== null && Math.abs(declaredTotal - newTotal) > 1e-9) {
			warnings.push(`填写的合计 ${declaredTotal} 分与各项得分之和 ${newTotal} 分不符：以各项得分为准，填写的合计将记录下来供省厅复核（${LAYOUT.pointsCol}${totalRow(server.rubric.criteria.length)}）`);
		}
		const kind: PreviewKind =
			server.status === 'submitted' ? 'submitted' : !differs ? 'unchanged' : e.version === server.version ? 'change' : 'conflict';
		if (kind === 'submitted' && differs) warnings.push('该评分表已提交，上传的内容不会生效；如需修改请联系省厅退回');
		const plan: PlanItem | null =
			kind === 'change' || kind === 'conflict'
				? { applicationId: e.applicationId, baseVersion: server.version, conflict: kind === 'conflict', points, declaredTotal, comments, comment }
				: null;
		items.push({
			applicationId: e.applicationId,
			sheet: e.sheet,
			institutionName: task.institutionName,
			occupation: task.occupation,
			type: task.type,
			kind,
			fileVersion: e.version,
			serverVersion: server.version,
			changes,
			comment: commentChange,
			oldTotal: server.total,
			newTotal,
			declaredTotal,
			warnings,
			plan
		});
	}
	return { problems: [], items, plan: items.flatMap((i) => (i.plan ? [i.plan] : [])) };
}

/* ---------------------------------------------------------------- apply */

export const planSchema = z
	.array(
		z.strictObject({
			applicationId: z.string().regex(APP_ID),
			baseVersion: z.number().int().min(0),
			conflict: z.boolean(),
			points: z.record(z.string().max(100), z.number().nullable()),
			declaredTotal: z.number().min(0).max(1000).nullable().optional(),
			comments: z.record(z.string().max(100), z.string().max(2000)),
			comment: z.string().max(5000)
		})
	)
	.max(500);

/**
 * Saves the previewed drafts in one transaction, through saveSheet and its version check.
 * Conflicting items are applied only when listed in `overwrite`. Throws OfflineImportError (and
 * writes nothing) when any item cannot be saved exactly as previewed.
 */
export function applyOfflinePlan(scope: BatchScope, expertId: string, plan: unknown, overwrite: string[], actor: Actor): { applied: string[]; skipped: string[] } {
	const { db } = scope;
	requirePhase(db, scope, canChangeScores, '评审结果已锁定，不能再修改评分');
	const parsed = planSchema.safeParse(plan);
	if (!parsed.success) throw new OfflineImportError(['预览数据已损坏，请重新上传离线评分表']);
	const chosen = new Set(overwrite);
	const items = parsed.data.filter((i) => !i.conflict || chosen.has(i.applicationId));
	const skipped = parsed.data.filter((i) => i.conflict && !chosen.has(i.applicationId)).map((i) => i.applicationId);
	if (items.length === 0) return { applied: [], skipped };
	const tasks = new Set(expertTasks(scope, expertId).tasks.map((t) => t.applicationId));
	const problems: string[] = [];
	const ids = new Set<string>();
	for (const item of items) {
		if (ids.has(item.applicationId)) problems.push(`申报 ${item.applicationId} 出现了两次`);
		ids.add(item.applicationId);
		if (!tasks.has(item.applicationId)) {
			problems.push(`申报 ${item.applicationId} 不是分配给您的评审任务，不能保存`);
			continue;
		}
		const server = getSheet(db, item.applicationId, expertId);
		if (server.status === 'submitted') problems.push(`申报 ${item.applicationId} 的评分表已提交，上传不会修改已提交的评分`);
		else if (server.version !== item.baseVersion) problems.push(`申报 ${item.applicationId} 的评分表在预览之后又有修改，为避免覆盖，本次没有保存任何内容；请重新上传预览`);
		const clean = Object.fromEntries(Object.entries(item.points).filter(([, v]) => v !== null));
		for (const p of pointsProblems(server.rubric, clean, { complete: false })) problems.push(`申报 ${item.applicationId}：${p.message}`);
	}
	if (problems.length) throw new OfflineImportError(problems);
	try {
		db.transaction((tx) => {
			for (const item of items) {
				saveSheet(tx as unknown as Db, item.applicationId, expertId, { version: item.baseVersion, points: item.points, comments: item.comments, comment: item.comment }, actor);
				tx.update(s.sheets).set({ declaredTotal: item.declaredTotal ?? null }).where(and(eq(s.sheets.applicationId, item.applicationId), eq(s.sheets.expertId, expertId))).run();
			}
			audit(tx, actor, 'sheet.offline-import', 'expert', expertId, {
				applications: items.map((i) => i.applicationId),
				overwritten: items.filter((i) => i.conflict).map((i) => i.applicationId)
			});
		});
	} catch (e) {
		if (e instanceof Refusal) throw new OfflineImportError([`${e.message}（本次没有保存任何内容）`]);
		throw e;
	}
	return { applied: items.map((i) => i.applicationId), skipped };
}
