/**
 * A small batch for the draw, conflict and expert-pool tests: three drawable applications, one
 * with a blocking finding, ten experts with known units (one hard and one soft conflict).
 */
import { memoryDb, type Db } from '../../src/lib/server/db';
import * as s from '../../src/lib/server/db/schema';
import { importBundle } from '../../src/lib/server/services/bundle-import';
import { SYSTEM_ACTOR, type Actor } from '../../src/lib/server/audit';
import { fullBundle } from './helpers';

export const OFFICE: Actor = { userId: null, name: 'office-test' };

export function worldBundle() {
	const b = fullBundle();
	const inst = b.institutions[0];
	const app = b.applications[0];
	const institutions = [
		{ ...inst, id: 'inst-a', name: '沈阳甲子科技有限公司', legalRep: { name: '周甲', idNumber: '210102198001011232' } },
		{ ...inst, id: 'inst-b', name: '大连乙丑信息技术有限公司', legalRep: { name: '吴乙', idNumber: '210102198001011232' } },
		{ ...inst, id: 'inst-c', name: '锦州丙寅电子有限公司', legalRep: { name: '郑丙', idNumber: '210102198001011232' } },
		{ ...inst, id: 'inst-x', name: '营口丁卯培训学校', legalRep: { name: '王丁', idNumber: '210102198001011232' } }
	];
	const teacher = (name: string, workUnit: string) => ({ role: 'teacher', name, workUnit, title: '讲师', specialty: '人工智能', fullTime: false, phone: '13900000099' });
	const applications = [
		{ ...app, id: 'app-a', institutionId: 'inst-a', region: 'shenyang', occupation: 'ai', people: [] },
		{ ...app, id: 'app-b', institutionId: 'inst-b', region: 'dalian', occupation: 'ai', people: [teacher('孙老师', '东北大学信息科学与工程学院')] },
		{ ...app, id: 'app-c', institutionId: 'inst-c', region: 'jinzhou', occupation: 'ic', people: [] },
		// No recommendation: a blocking finding (MISSING_RECOMMENDATION), so the page's draw leaves it out.
		{ ...app, id: 'app-x', institutionId: 'inst-x', region: 'yingkou', occupation: 'ai', people: [], recommendation: null }
	];
	const expert = (id: string, name: string, workUnit: string, occupations: string[]) => ({
		id,
		name,
		workUnit,
		title: '教授',
		occupations,
		region: 'shenyang',
		phone: `1370000${id.replace(/\D/g, '').padStart(4, '0')}`,
		email: `${id}@example.edu.cn`
	});
	const experts = [
		expert('e1', '甲一', '东北大学计算机科学与工程学院', ['ai']),
		expert('e2', '甲二', '东北大学信息科学与工程学院', ['ai']),
		expert('e3', '甲三', '大连理工大学软件学院', ['ai']),
		expert('e4', '甲四', '辽宁大学信息学院', ['ai']),
		expert('e5', '甲五', '沈阳工业大学信息科学与工程学院', ['ai']),
		expert('e6', '甲六', '大连海事大学信息科学技术学院', ['ai']),
		// Works at inst-a: SAME_UNIT, never on app-a.
		expert('e7', '甲七', '沈阳甲子科技有限公司研发部', ['ai']),
		expert('i1', '乙一', '大连理工大学集成电路学院', ['ic']),
		expert('i2', '乙二', '渤海大学信息科学与技术学院', ['ic']),
		expert('i3', '乙三', '辽宁大学物理学院', ['ic'])
	];
	return {
		format: b.format,
		version: b.version,
		batch: b.batch,
		institutions,
		applications,
		experts,
		rubrics: b.rubrics
	};
}

/** A migrated in-memory database with the world loaded and N = 3 experts per application. */
export function world(perApplication = 3): Db {
	const db = memoryDb();
	importBundle(db, worldBundle(), SYSTEM_ACTOR);
	db.update(s.batches).set({ perApplication }).run();
	return db;
}

export function assigned(db: Db, applicationId?: string) {
	return db
		.select()
		.from(s.assignments)
		.all()
		.filter((a) => !applicationId || a.applicationId === applicationId)
		.sort((a, b) => a.applicationId.localeCompare(b.applicationId) || a.expertId.localeCompare(b.expertId));
}

export function auditActions(db: Db): string[] {
	return db.select().from(s.auditLog).all().map((r) => r.action);
}

export function lastAudit(db: Db) {
	const rows = db.select().from(s.auditLog).all();
	const r = rows[rows.length - 1];
	return { ...r, detail: r.detail ? JSON.parse(r.detail) : null };
}

/** Signs the commitment for an expert (the expert side needs it before seeing anything). */
export function commit(db: Db, expertId: string) {
	const batch = db.select().from(s.batches).get()!;
	db.insert(s.commitments).values({ expertId, batchId: batch.id, textHash: 'test' }).run();
}
