/**
 * Intake by file on the pages: the Excel intake template and the export of the office's list in
 * the same layout (which re-imports), the Excel import, and the Word annex import for the office
 * and for a city (its own region only). Thin over export/intake-template.ts, import/xlsx.ts and
 * import/docx.ts; the routes only parse the request and call these.
 */
import type { BatchScope } from '../scope';
import { z } from 'zod';
import type { Db } from '../db';
import { audit, type Actor } from '../audit';
import { MAX_UPLOAD_BYTES } from '../files';
import { loadApplications, loadInstitutions } from '../queries/bundle';
import { renderIntakeTemplate } from '../export/intake-template';
import { importIntakeWorkbook } from '../import/xlsx';
import { importAnnexDocx, type AnnexImportOptions, type AnnexImportResult } from '../import/docx';
import { isOle } from '../import/doc';
import { BundleImportError, type ImportCounts } from './bundle-import';
import { chinaToday, listIntake, type IntakeFilter } from './applications';
import { isOccupationKey } from '../../domain/occupations';
import { isRegionKey } from '../../domain/regions';
import { isFindingCode } from '../../domain/formal-check';
import { personQuery } from '../queries/personal-search';

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/* ------------------------------------------------------------------ the list filter */

/** A query parameter: '' (no filter) or a value `ok` accepts; else `message`. */
const param = (ok: (v: string) => boolean, message: string) => z.string({ error: message }).refine((v) => v === '' || ok(v), { error: message });
const among = (values: string[]) => (v: string) => values.includes(v);
const filterSchema = z.object({
	region: param(isRegionKey, '筛选条件“地区”无效'),
	occupation: param(isOccupationKey, '筛选条件“职业”无效'),
	type: param(among(['training', 'evaluation']), '筛选条件“类型”无效'),
	status: param(among(['draft', 'submitted', 'returned', 'accepted']), '筛选条件“状态”无效'),
	finding: param((v) => v === 'blocking' || v === 'none' || isFindingCode(v), '筛选条件“审查问题”无效'),
	person: param((v) => v.length <= 40 && personQuery(v) !== null, '筛选条件“身份证号或电话”无效：请输入完整的 18 位身份证号或电话号码')
});
export type ListFilter = z.infer<typeof filterSchema>;

/** The office list's filter from the query string (absent = ''); the first problem in Chinese. */
export function parseListFilter(q: URLSearchParams): { filter: ListFilter } | { error: string } {
	const raw = Object.fromEntries(Object.keys(filterSchema.shape).map((k) => [k, q.get(k) ?? '']));
	const r = filterSchema.safeParse(raw);
	return r.success ? { filter: r.data } : { error: r.error.issues[0]?.message ?? '筛选条件无效' };
}

/* ------------------------------------------------------------------ downloads */

const attachment = (ascii: string, name: string) => `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;

/** The blank intake workbook as a download. */
export async function templateResponse(): Promise<Response> {
	const body = await renderIntakeTemplate();
	return new Response(new Uint8Array(body), {
		headers: {
			'Content-Type': XLSX_MIME,
			'Content-Disposition': attachment('intake-template.xlsx', '申报信息采集表（模板）.xlsx'),
			'Cache-Control': 'no-store'
		}
	});
}

/** The applications of the office's list (same filter, same order) with their institutions. */
export function listedApplications(scope: BatchScope, filter: IntakeFilter) {
	const { db } = scope;
	const ids = new Set(listIntake(scope, filter).map((r) => r.id));
	const apps = loadApplications(scope, (r) => ids.has(r.id)).map((a) => a.app);
	const institutions = new Map(loadInstitutions(db, new Set(apps.map((a) => a.institutionId))).map((i) => [i.id, i]));
	return apps.map((app) => ({ app, institution: institutions.get(app.institutionId)! }));
}

/**
 * The list as the pre-filled intake workbook (re-imports to the same applications), recorded in
 * the audit log with the filter keys and the count only.
 */
export async function exportListWorkbook(scope: BatchScope, filter: ListFilter, actor: Actor, now = new Date()) {
	const { db } = scope;
	const items = listedApplications(scope, filter);
	const body = await renderIntakeTemplate({ applications: items });
	const date = chinaToday(now);
	// The audit records which filters were used, never the ID number or phone searched for.
	const used = Object.fromEntries(Object.entries(filter).filter(([, v]) => v).map(([k, v]) => [k, k === 'person' ? '（已隐去）' : v]));
	db.transaction((tx) => audit(tx, actor, 'application.export-xlsx', 'application', null, { filter: used, applications: items.length }));
	return { body, count: items.length, filename: `申报列表-${date}.xlsx`, ascii: `applications-${date}.xlsx` };
}

export function workbookResponse(file: { body: Buffer; filename: string; ascii: string }): Response {
	return new Response(new Uint8Array(file.body), {
		headers: { 'Content-Type': XLSX_MIME, 'Content-Disposition': attachment(file.ascii, file.filename), 'Cache-Control': 'no-store' }
	});
}

/* ------------------------------------------------------------------ uploads */

export type ZipUpload = { name: string; buf: Buffer };

/**
 * The uploaded `file` of a form: present, at most MAX_UPLOAD_BYTES, and by its content a zip
 * (.xlsx and .docx are Office Open XML zips) or, for Word, an OLE compound file (Word 97–2003
 * .doc). `what` names the expected kind in the refusal.
 */
export async function zipUpload(form: FormData, what: 'Excel 工作簿（.xlsx）' | 'Word 文档（.docx 或 .doc）'): Promise<ZipUpload | { error: string }> {
	const file = form.get('file');
	if (!(file instanceof File) || file.size === 0) return { error: '请选择要上传的文件' };
	if (file.size > MAX_UPLOAD_BYTES) return { error: `文件不能超过 ${MAX_UPLOAD_BYTES / 1024 / 1024} MB（“${file.name}”为 ${(file.size / 1024 / 1024).toFixed(1)} MB）` };
	const buf = Buffer.from(await file.arrayBuffer());
	const word = what.startsWith('Word');
	if (word && isOle(buf)) return { name: file.name, buf };
	if (buf.length < 4 || buf.readUInt32LE(0) !== 0x04034b50) {
		return {
			error: word
				? `“${file.name}”不是${what}：文件内容既不是 Office Open XML 格式，也不是 Word 97–2003 格式`
				: `“${file.name}”不是${what}：文件内容不是 Office Open XML 格式（旧版 .xls 请另存为 .xlsx）`
		};
	}
	return { name: file.name, buf };
}

/** `申报信息!R5C「职业」` → `申报信息 第 5 行「职业」`; other paths unchanged. */
export function readablePath(path: string): string {
	const m = /^(.+?)!(?:R(\d+))?(?:C?「(.*)」)?$/.exec(path);
	if (!m || (!m[2] && m[3] === undefined)) return path;
	return m[1] + (m[2] ? ` 第 ${m[2]} 行` : '') + (m[3] !== undefined ? `「${m[3]}」` : '');
}

/** The first `limit` errors as lines to show, and how many were left out. */
export function errorLines(e: BundleImportError, limit = 50): { problems: string[]; more: number } {
	return {
		problems: e.errors.slice(0, limit).map((x) => `${readablePath(x.path)}：${x.message}`),
		more: Math.max(0, e.errors.length - limit)
	};
}

/* ------------------------------------------------------------------ imports */

/** Excel intake workbook: counts, or the located errors (nothing written). */
export async function importWorkbookUpload(
	db: Db,
	buf: Buffer,
	actor: Actor,
	fileName?: string
): Promise<{ ok: true; counts: ImportCounts } | { ok: false; problems: string[]; more: number }> {
	try {
		return { ok: true, counts: await importIntakeWorkbook(db, buf, actor, fileName) };
	} catch (e) {
		if (e instanceof BundleImportError) return { ok: false, ...errorLines(e) };
		throw e;
	}
}

export type AnnexOutcome =
	| { ok: true; result: Pick<AnnexImportResult, 'applicationId' | 'type' | 'region' | 'unread' | 'problems'> }
	| { ok: false; problems: string[]; more: number };

/** Word Annex 1/2 into a draft; for a city pass `region` and `onlyRegion` = its region. */
export async function importAnnexUpload(db: Db, buf: Buffer, actor: Actor, opts: AnnexImportOptions): Promise<AnnexOutcome> {
	try {
		const r = await importAnnexDocx(db, buf, actor, opts);
		return { ok: true, result: { applicationId: r.applicationId, type: r.type, region: r.region, unread: r.unread, problems: r.problems } };
	} catch (e) {
		if (e instanceof BundleImportError) return { ok: false, ...errorLines(e) };
		throw e;
	}
}
