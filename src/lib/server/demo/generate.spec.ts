import { describe, it, expect } from 'vitest';
import { DEFAULT_BATCH, bundleSchema, quotaFor, type Application, type FullBundle } from '../../domain/bundle';
import { countChars, idNumberProblem, isValidIdNumber, isValidUscc } from '../../domain/identifiers';
import { OCCUPATION_KEYS } from '../../domain/occupations';
import { REGION_KEYS, regionUnit } from '../../domain/regions';
import { NARRATIVES } from '../../domain/vocabulary';
import { DEFAULT_EVALUATION_RUBRIC, DEFAULT_TRAINING_RUBRIC, pointsProblems, rubricTotal } from '../../domain/rubric';
import {
	DEMO_DECLARATION_REASON,
	DEMO_EXPERT_COUNT,
	DEMO_ISSUE_APPLICATIONS,
	DEMO_UNASSIGNED_OCCUPATIONS,
	generateDemoBundle
} from './generate';

const b = generateDemoBundle();
const appById = new Map(b.applications.map((a) => [a.id, a]));
const instById = new Map(b.institutions.map((i) => [i.id, i]));
const expById = new Map(b.experts.map((e) => [e.id, e]));
const instOf = (a: Application) => instById.get(a.institutionId)!;

/** City part (first four digits) of the division code expected for each region. */
const CITY_CODE: Record<string, string> = {
	shenyang: '2101', dalian: '2102', anshan: '2103', fushun: '2104', benxi: '2105', dandong: '2106', jinzhou: '2107',
	yingkou: '2108', fuxin: '2109', liaoyang: '2110', panjin: '2111', tieling: '2112', chaoyang: '2113', huludao: '2114',
	shenfu: '2101'
};

function maxAnnual(a: Application): number {
	if (a.type === 'training') return Math.max(0, ...a.trainingYears.map((y) => y.total ?? 0));
	const byYear = new Map<number, number>();
	for (const y of a.evaluationYears) byYear.set(y.year, (byYear.get(y.year) ?? 0) + (y.issued ?? 0));
	return Math.max(0, ...byYear.values());
}

function totalsDisagree(a: Application): boolean {
	for (const y of a.trainingYears) if ((y.independent ?? 0) + (y.cooperative ?? 0) !== y.total) return true;
	const t = a.team!;
	if (a.type === 'training' && t.fullTime! + t.partTime! !== t.total) return true;
	if (a.type === 'evaluation' && t.assessors! + t.supervisors! !== t.total) return true;
	return false;
}

const norm = (s: string | null | undefined) =>
	(s ?? '').normalize('NFKC').replace(/[\s\p{P}\p{S}]/gu, '');
function unitsOverlap(a: string | null | undefined, c: string | null | undefined): boolean {
	const x = norm(a);
	const y = norm(c);
	if (!x || !y) return false;
	const [s, l] = x.length <= y.length ? [x, y] : [y, x];
	return x === y || (s.length >= 4 && l.includes(s));
}

function sheetTotal(points: Record<string, number>): number {
	return Object.values(points).reduce((s, v) => s + v, 0);
}

function submittedTotals(bundle: FullBundle, appId: string): number[] {
	return bundle.scores.filter((s) => s.applicationId === appId && s.status === 'submitted').map((s) => sheetTotal(s.points));
}

describe('generateDemoBundle: shape', () => {
	it('passes the bundle schema', () => {
		const r = bundleSchema.safeParse(b);
		expect(r.success, r.success ? '' : JSON.stringify(r.error.issues.slice(0, 3))).toBe(true);
	});

	it('is deterministic and the seed changes the content, not the plan', () => {
		expect(generateDemoBundle()).toEqual(b);
		expect(generateDemoBundle({ seed: 'ln-2023-b2-demo' })).toEqual(b);
		const other = generateDemoBundle({ seed: 'another' });
		expect(bundleSchema.safeParse(other).success).toBe(true);
		expect(other.institutions.map((i) => i.name)).not.toEqual(b.institutions.map((i) => i.name));
		expect(other.applications.map((a) => [a.region, a.occupation, a.type])).toEqual(
			b.applications.map((a) => [a.region, a.occupation, a.type])
		);
	});

	it('uses the batch-2 defaults and both default rubrics, with no decisions', () => {
		expect(b.format).toBe('dte-review-bundle');
		expect(b.version).toBe(1);
		expect(b.batch).toEqual(DEFAULT_BATCH);
		expect(b.batch).not.toBe(DEFAULT_BATCH);
		expect(b.rubrics).toEqual([DEFAULT_TRAINING_RUBRIC, DEFAULT_EVALUATION_RUBRIC]);
		expect(b.decisions).toEqual([]);
	});

	it('covers all 10 occupations and all 15 regions with 50–70 applications of both types', () => {
		expect(new Set(b.applications.map((a) => a.occupation))).toEqual(new Set(OCCUPATION_KEYS));
		expect(new Set(b.applications.map((a) => a.region))).toEqual(new Set(REGION_KEYS));
		expect(b.applications.length).toBeGreaterThanOrEqual(50);
		expect(b.applications.length).toBeLessThanOrEqual(70);
		const training = b.applications.filter((a) => a.type === 'training').length;
		expect(training).toBeGreaterThanOrEqual(33);
		expect(training).toBeLessThanOrEqual(43);
		expect(b.applications.length - training).toBeGreaterThanOrEqual(18);
	});

	it('has unique ids and distinct institution × occupation × type', () => {
		expect(new Set(b.applications.map((a) => a.id)).size).toBe(b.applications.length);
		expect(new Set(b.institutions.map((i) => i.id)).size).toBe(b.institutions.length);
		expect(new Set(b.institutions.map((i) => i.name)).size).toBe(b.institutions.length);
		expect(new Set(b.applications.map((a) => `${a.institutionId}|${a.occupation}|${a.type}`)).size).toBe(b.applications.length);
		for (const a of b.applications) expect(instById.has(a.institutionId)).toBe(true);
	});

	it('has institutions that apply for two occupations', () => {
		const perInst = new Map<string, Set<string>>();
		for (const a of b.applications) {
			if (!perInst.has(a.institutionId)) perInst.set(a.institutionId, new Set());
			perInst.get(a.institutionId)!.add(a.occupation);
		}
		const multi = [...perInst.values()].filter((s) => s.size === 2).length;
		expect(multi).toBeGreaterThanOrEqual(3);
		// Every institution is used.
		expect(perInst.size).toBe(b.institutions.length);
	});
});

describe('generateDemoBundle: forms', () => {
	it('gives every institution a valid, unique USCC with its region division code', () => {
		for (const i of b.institutions) expect(isValidUscc(i.uscc), `${i.name} ${i.uscc}`).toBe(true);
		expect(new Set(b.institutions.map((i) => i.uscc)).size).toBe(b.institutions.length);
		for (const a of b.applications) expect(instOf(a).uscc!.slice(2, 6)).toBe(CITY_CODE[a.region]);
	});

	it('fills every form completely', () => {
		for (const i of b.institutions) {
			expect(i.taxes.map((t) => t.year)).toEqual([2020, 2021, 2022]);
			expect(i.taxes.every((t) => t.dishonest === false && (t.amount ?? 0) > 0)).toBe(true);
			expect(i.address).toMatch(/号/);
			expect(i.unitType).not.toBeNull();
			expect(i.bases).not.toBeNull();
		}
		for (const a of b.applications) {
			expect(a.levels.length).toBeGreaterThan(0);
			expect(a.lead?.phone).toMatch(/^1\d{10}$/);
			expect(a.contact?.email).toMatch(/@/);
			expect(a.venues.length).toBeGreaterThanOrEqual(1);
			const role = a.type === 'training' ? 'teacher' : 'question-setter';
			expect(a.people.length).toBeGreaterThanOrEqual(3);
			expect(a.people.length).toBeLessThanOrEqual(9);
			for (const p of a.people) {
				expect(p.role).toBe(role);
				expect(p.workUnit).toBeTruthy();
				expect(p.title).toBeTruthy();
				expect(p.phone).toMatch(/^1\d{10}$/);
			}
			for (const l of ['junior', 'intermediate', 'senior'] as const) {
				expect(a.planned![l] !== null).toBe(a.levels.includes(l));
				expect(a.fees![l] !== null).toBe(a.levels.includes(l));
			}
			if (a.type === 'training') {
				expect(a.evaluationYears).toEqual([]);
				expect(a.trainingYears.at(-1)!.year).toBe(2022);
			} else {
				expect(a.trainingYears).toEqual([]);
				expect(a.evaluationYears.every((y) => y.certificate && y.own !== null)).toBe(true);
				expect(a.conductsEvaluation).toBe(true);
				expect(a.certificateCategory).not.toBeNull();
			}
			const fees = (['junior', 'intermediate', 'senior'] as const).map((l) => a.fees![l]).filter((x): x is number => x !== null);
			expect([...fees].sort((x, y) => x - y)).toEqual(fees);
			expect(a.recommendation!.unit).toBe(regionUnit(a.region));
			expect(countChars(a.recommendation!.reason)).toBeGreaterThan(40);
		}
	});

	it('has 5 training years (2018–2022) and 3 tax years except for the institution founded in 2020', () => {
		const young = DEMO_ISSUE_APPLICATIONS['founded-late'][0];
		for (const a of b.applications.filter((x) => x.type === 'training')) {
			expect(a.trainingYears.map((y) => y.year)).toEqual(a.id === young ? [2020, 2021, 2022] : [2018, 2019, 2020, 2021, 2022]);
		}
	});

	it('keeps every narrative within its limit and of realistic, varied length', () => {
		for (const a of b.applications) {
			for (const n of NARRATIVES) {
				const len = countChars(a[n.key]);
				expect(len, `${a.id} ${n.key}`).toBeLessThanOrEqual(n.limit);
				expect(len, `${a.id} ${n.key}`).toBeGreaterThanOrEqual(n.key === 'platform' ? 60 : 150);
			}
		}
		const overviews = b.applications.map((a) => countChars(a.overview));
		expect(Math.max(...overviews) - Math.min(...overviews)).toBeGreaterThan(150);
		expect(new Set(b.applications.map((a) => a.overview)).size).toBe(b.applications.length);
	});

	it('states the five-year figures of the form in the narrative', () => {
		const a = b.applications.find((x) => x.type === 'training' && !totalsDisagree(x))!;
		const sum = a.trainingYears.reduce((s, y) => s + y.total!, 0);
		expect(a.pastWork).toContain(`累计开展培训${sum}人次`);
	});
});

describe('generateDemoBundle: deliberate formal-check problems', () => {
	it('has exactly one evaluation application in a closed occupation (bigdata)', () => {
		const closed = b.applications.filter((a) => a.type === 'evaluation' && b.batch.closedEvaluationOccupations.includes(a.occupation));
		expect(closed.map((a) => [a.id, a.occupation])).toEqual([[DEMO_ISSUE_APPLICATIONS['closed-occupation'][0], 'bigdata']]);
	});

	it('exceeds exactly one quota cell: 3 training applications in 鞍山', () => {
		const cells = new Map<string, string[]>();
		for (const a of b.applications) {
			const k = `${a.region}|${a.occupation}|${a.type}`;
			cells.set(k, [...(cells.get(k) ?? []), a.id]);
		}
		const over = [...cells.entries()].filter(([k, ids]) => {
			const [region, , type] = k.split('|');
			return ids.length > quotaFor(b.batch, type as 'training' | 'evaluation', region)!;
		});
		expect(over).toHaveLength(1);
		expect(over[0][0]).toBe('anshan|smart-manufacturing|training');
		expect(over[0][1]).toEqual(DEMO_ISSUE_APPLICATIONS['over-quota']);
		expect(over[0][1]).toHaveLength(3);
	});

	it('has exactly one institution founded after the cutoff, in 2020', () => {
		const late = b.institutions.filter((i) => i.founded! > b.batch.foundedOnOrBefore!);
		expect(late).toHaveLength(1);
		expect(late[0].founded!.slice(0, 4)).toBe('2020');
		expect(late[0].id).toBe(appById.get(DEMO_ISSUE_APPLICATIONS['founded-late'][0])!.institutionId);
	});

	it('has exactly one legal-rep ID number with a bad check digit', () => {
		const bad = b.institutions.filter((i) => !isValidIdNumber(i.legalRep!.idNumber, '2023-06-15'));
		expect(bad).toHaveLength(1);
		expect(idNumberProblem(bad[0].legalRep!.idNumber, '2023-06-15')).toBe('check');
		expect(bad[0].id).toBe(appById.get(DEMO_ISSUE_APPLICATIONS['bad-legal-rep-id'][0])!.institutionId);
	});

	it('has exactly one application below the 2000 minimum, at 1850', () => {
		const low = b.applications.filter((a) => maxAnnual(a) < b.batch.minAnnualScale!);
		expect(low.map((a) => [a.id, maxAnnual(a)])).toEqual([[DEMO_ISSUE_APPLICATIONS['scale-below-min'][0], 1850]]);
	});

	it('has exactly one application whose totals disagree with its rows', () => {
		expect(b.applications.filter(totalsDisagree).map((a) => a.id)).toEqual(DEMO_ISSUE_APPLICATIONS['totals-mismatch']);
	});

	it('has exactly one application without credit report and integrity commitment', () => {
		const missing = b.applications.filter(
			(a) => !a.attachments!.registrationCertificate || (!a.attachments!.creditReport && !a.attachments!.integrityCommitment)
		);
		expect(missing.map((a) => a.id)).toEqual(DEMO_ISSUE_APPLICATIONS['missing-attachments']);
		expect(missing[0].attachments!.registrationCertificate).toBe(true);
	});

	it('has exactly one recommendation after the deadline (2023-06-18)', () => {
		const late = b.applications.filter((a) => a.recommendation!.date! > b.batch.deadline!);
		expect(late.map((a) => [a.id, a.recommendation!.date])).toEqual([[DEMO_ISSUE_APPLICATIONS['late-recommendation'][0], '2023-06-18']]);
		expect(b.applications.every((a) => a.recommendation!.date! >= '2023-06-01')).toBe(true);
	});
});

describe('generateDemoBundle: experts, conflicts and assignments', () => {
	it('has about 25 experts with every occupation covered by at least 5', () => {
		expect(b.experts.length).toBe(DEMO_EXPERT_COUNT);
		expect(b.experts.length).toBeGreaterThanOrEqual(24);
		expect(b.experts.length).toBeLessThanOrEqual(30);
		for (const o of OCCUPATION_KEYS) {
			expect(b.experts.filter((e) => e.occupations.includes(o)).length, o).toBeGreaterThanOrEqual(5);
		}
		for (const e of b.experts) {
			expect(e.occupations.length).toBeGreaterThanOrEqual(1);
			expect(e.occupations.length).toBeLessThanOrEqual(3);
			expect(e.phone).toMatch(/^1\d{10}$/);
			expect(e.email).toMatch(/^[\w.-]+@[\w.-]+$/);
			expect(e.workUnit).toBeTruthy();
		}
		expect(new Set(b.experts.map((e) => e.phone)).size).toBe(b.experts.length);
	});

	it('has exactly one expert whose unit is a department of an applying institution', () => {
		const pairs = b.experts.flatMap((e) =>
			b.applications.filter((a) => unitsOverlap(e.workUnit, instOf(a).name)).map((a) => [e.name, a.id])
		);
		expect(pairs).toEqual([['彭涛', DEMO_ISSUE_APPLICATIONS['same-unit'][0]]]);
		expect(expById.get(b.experts.find((e) => e.name === '彭涛')!.id)!.workUnit).toBe('大连云帆智能科技有限公司人工智能研究院');
	});

	it('has exactly one expert listed in an application (same name and phone)', () => {
		const pairs = b.experts.flatMap((e) =>
			b.applications.filter((a) => a.people.some((p) => p.name === e.name && p.phone === e.phone)).map((a) => [e.name, a.id])
		);
		expect(pairs).toEqual([['谢婷', DEMO_ISSUE_APPLICATIONS['listed-in-application'][0]]]);
	});

	it('has no expert as lead or contact of an application', () => {
		for (const a of b.applications)
			for (const e of b.experts) {
				expect(a.lead!.name === e.name && a.lead!.phone === e.phone).toBe(false);
				expect(a.contact!.name === e.name && a.contact!.phone === e.phone).toBe(false);
			}
	});

	it('has one declared conflict and no decisions', () => {
		expect(b.declarations).toHaveLength(1);
		const d = b.declarations[0];
		expect(d.reason).toBe(DEMO_DECLARATION_REASON);
		expect(d.applicationId).toBe(DEMO_ISSUE_APPLICATIONS.declared[0]);
		expect(expById.get(d.expertId)!.occupations).toContain(appById.get(d.applicationId)!.occupation);
	});

	it('assigns 5 distinct experts of the occupation to each assigned application', () => {
		const byApp = new Map<string, string[]>();
		for (const a of b.assignments) byApp.set(a.applicationId, [...(byApp.get(a.applicationId) ?? []), a.expertId]);
		for (const [appId, ids] of byApp) {
			expect(ids).toHaveLength(5);
			expect(new Set(ids).size).toBe(5);
			for (const id of ids) expect(expById.get(id)!.occupations).toContain(appById.get(appId)!.occupation);
		}
		expect(byApp.size).toBeGreaterThanOrEqual(40);
	});

	it('leaves two occupations and the blocked applications unassigned', () => {
		expect(DEMO_UNASSIGNED_OCCUPATIONS).toHaveLength(2);
		const assignedApps = new Set(b.assignments.map((a) => a.applicationId));
		for (const o of DEMO_UNASSIGNED_OCCUPATIONS) {
			const apps = b.applications.filter((a) => a.occupation === o);
			expect(apps.length).toBeGreaterThan(0);
			expect(apps.some((a) => assignedApps.has(a.id))).toBe(false);
		}
		for (const issue of ['closed-occupation', 'over-quota', 'scale-below-min', 'missing-attachments'] as const) {
			for (const id of DEMO_ISSUE_APPLICATIONS[issue]) expect(assignedApps.has(id)).toBe(false);
		}
		// Every other application is assigned, including those with warnings only.
		const others = b.applications.filter(
			(a) =>
				!DEMO_UNASSIGNED_OCCUPATIONS.includes(a.occupation) &&
				![...DEMO_ISSUE_APPLICATIONS['closed-occupation'], ...DEMO_ISSUE_APPLICATIONS['over-quota'], ...DEMO_ISSUE_APPLICATIONS['scale-below-min'], ...DEMO_ISSUE_APPLICATIONS['missing-attachments']].includes(a.id)
		);
		expect(others.every((a) => assignedApps.has(a.id))).toBe(true);
	});

	it('never assigns an expert with a conflict (same unit, listed, contact, declared, shared unit)', () => {
		for (const asg of b.assignments) {
			const a = appById.get(asg.applicationId)!;
			const e = expById.get(asg.expertId)!;
			expect(unitsOverlap(e.workUnit, instOf(a).name)).toBe(false);
			expect(a.people.some((p) => p.name === e.name || norm(p.workUnit) === norm(e.workUnit))).toBe(false);
			expect(b.declarations.some((d) => d.applicationId === a.id && d.expertId === e.id)).toBe(false);
		}
	});

	it('balances the load roughly', () => {
		const load = new Map<string, number>();
		for (const a of b.assignments) load.set(a.expertId, (load.get(a.expertId) ?? 0) + 1);
		const values = [...load.values()];
		expect(Math.max(...values)).toBeLessThanOrEqual(20);
	});
});

describe('generateDemoBundle: score sheets', () => {
	const assigned = new Set(b.assignments.map((a) => `${a.applicationId}|${a.expertId}`));

	it('scores only assigned pairs, once each, on the rubric of the type', () => {
		const keys = b.scores.map((s) => `${s.applicationId}|${s.expertId}`);
		expect(new Set(keys).size).toBe(keys.length);
		for (const s of b.scores) {
			expect(assigned.has(`${s.applicationId}|${s.expertId}`)).toBe(true);
			expect(s.rubricId).toBe(appById.get(s.applicationId)!.type === 'training' ? 'rub-training' : 'rub-evaluation');
		}
	});

	it('keeps every point within its bounds in steps of 0.5', () => {
		for (const s of b.scores) {
			const rubric = b.rubrics.find((r) => r.id === s.rubricId)!;
			expect(pointsProblems(rubric, s.points, { complete: s.status === 'submitted' })).toEqual([]);
			expect(sheetTotal(s.points)).toBeLessThanOrEqual(rubricTotal(rubric));
		}
	});

	it('has sheets in every state: mostly submitted, some drafts with partial points, some not started', () => {
		const submitted = b.scores.filter((s) => s.status === 'submitted');
		const drafts = b.scores.filter((s) => s.status === 'draft');
		expect(submitted.length / b.assignments.length).toBeGreaterThan(0.7);
		expect(drafts.length).toBeGreaterThanOrEqual(3);
		expect(drafts.every((s) => Object.keys(s.points).length < 7 && Object.keys(s.points).length > 0)).toBe(true);
		expect(b.assignments.length - b.scores.length).toBeGreaterThanOrEqual(3);
		expect(submitted.every((s) => countChars(s.comment) > 10)).toBe(true);
	});

	it('has at least 3 submitted sheets per assigned application, except the one in progress', () => {
		const inProgress = DEMO_ISSUE_APPLICATIONS['in-progress'][0];
		for (const appId of new Set(b.assignments.map((a) => a.applicationId))) {
			const n = submittedTotals(b, appId).length;
			if (appId === inProgress) expect(n).toBe(2);
			else expect(n, appId).toBeGreaterThanOrEqual(3);
		}
	});

	it('centres the ordinary sheets around 70–88% of the maximum', () => {
		const special = new Set([...DEMO_ISSUE_APPLICATIONS['abnormal-sheet'], ...DEMO_ISSUE_APPLICATIONS.dispersed]);
		const totals = b.scores.filter((s) => s.status === 'submitted' && !special.has(s.applicationId)).map((s) => sheetTotal(s.points));
		const mean = totals.reduce((x, y) => x + y, 0) / totals.length;
		expect(mean).toBeGreaterThan(70);
		expect(mean).toBeLessThan(88);
		expect(Math.min(...totals)).toBeGreaterThanOrEqual(60);
		// No ordinary application is dispersed.
		for (const appId of new Set(b.scores.map((s) => s.applicationId))) {
			if (special.has(appId)) continue;
			const t = submittedTotals(b, appId);
			if (t.length > 1) expect(Math.max(...t) - Math.min(...t)).toBeLessThanOrEqual(20);
		}
	});

	it('has one abnormal low sheet, with an explanation, more than 20% below the mean', () => {
		const withExplanation = b.scores.filter((s) => s.explanation);
		expect(withExplanation).toHaveLength(1);
		const s = withExplanation[0];
		expect(s.applicationId).toBe(DEMO_ISSUE_APPLICATIONS['abnormal-sheet'][0]);
		const totals = submittedTotals(b, s.applicationId);
		expect(totals).toEqual([80, 83.5, 50.5, 81, 84]);
		const mean = totals.reduce((x, y) => x + y, 0) / totals.length; // 75.8
		expect(mean).toBeCloseTo(75.8, 10);
		expect((mean - sheetTotal(s.points)) / mean).toBeGreaterThan(0.2);
	});

	it('has two widely dispersed applications without abnormal sheets', () => {
		const [d1, d2] = DEMO_ISSUE_APPLICATIONS.dispersed;
		expect(submittedTotals(b, d1).sort((x, y) => x - y)).toEqual([64, 70, 77, 84, 90]);
		expect(submittedTotals(b, d2).sort((x, y) => x - y)).toEqual([66, 72.5, 80, 87, 88.5]);
		for (const id of [d1, d2]) {
			const t = submittedTotals(b, id);
			const mean = t.reduce((x, y) => x + y, 0) / t.length;
			expect(Math.max(...t) - Math.min(...t)).toBeGreaterThan(20);
			for (const x of t) expect(Math.abs(x - mean) / mean).toBeLessThanOrEqual(0.2);
		}
	});
});
