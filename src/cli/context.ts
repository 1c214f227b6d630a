import { openDatabase, migrate, databasePath, type Db } from '../lib/server/db';
import type { Io } from './io';
import { CliError } from './args';
import { batchById, defaultBatchRow, type BatchScope } from '../lib/server/scope';
import type { BatchRow } from '../lib/server/db/schema';
import { DEFAULT_BATCH } from '../lib/domain/bundle';

/** `batchId`: the `--batch ID` of a batch-scoped command (else the default batch). */
export type Ctx = { db: Db; io: Io; dbPath: string; batchId?: string };
export type Command = {
	name: string;
	summary: string;
	usage: string;
	/** Reads or writes one batch: takes `--batch ID`. */
	scoped?: boolean;
	run(argv: string[], ctx: Ctx): Promise<number> | number;
};

export function openForCli(dbPath: string | undefined): { db: Db; dbPath: string } {
	const file = databasePath(dbPath ?? process.env.DATABASE_URL);
	const db = openDatabase(file);
	migrate(db);
	return { db, dbPath: file };
}

/** The batch of a command: `--batch ID` (which must exist), else the most recent one not archived. */
export function cliScope(ctx: Pick<Ctx, 'db' | 'batchId'>): BatchScope {
	if (ctx.batchId) {
		const batch = batchById(ctx.db, ctx.batchId);
		if (!batch) throw new CliError(`--batch: 没有批次 "${ctx.batchId}"（batch list 列出已有的批次）`);
		return { db: ctx.db, batch };
	}
	const batch = defaultBatchRow(ctx.db);
	if (!batch) throw new CliError('数据库中还没有评审批次：请先导入数据包（import）或新建批次（batch create）');
	return { db: ctx.db, batch };
}

/**
 * The same, but a database without any batch reads as an empty one (no application, so no finding,
 * conflict or result): the reading commands then succeed with empty lists.
 */
export function cliScopeOrEmpty(ctx: Pick<Ctx, 'db' | 'batchId'>): BatchScope {
	if (ctx.batchId || defaultBatchRow(ctx.db)) return cliScope(ctx);
	const d = DEFAULT_BATCH;
	const empty: BatchRow = {
		id: d.id,
		name: d.name,
		deadline: d.deadline,
		foundedOnOrBefore: d.foundedOnOrBefore,
		minAnnualScale: d.minAnnualScale,
		closedEvaluationOccupations: d.closedEvaluationOccupations,
		quotas: d.quotas,
		aggregation: d.aggregation,
		scoringDeadline: null,
		perApplication: 5,
		maxLoad: null,
		onePerUnit: false,
		assignmentsPublishedAt: null,
		meeting: null,
		resultsLockedAt: null,
		resultsHash: null,
		memo: null,
		createdAt: new Date(0).toISOString(),
		archivedAt: null,
		copiedFrom: null,
		replyDeadline: null,
		minExpertRating: null,
		feeStandard: null,
		publicityStart: null,
		publicityEnd: null,
		publicityDays: null,
		publicityClosedAt: null,
		lockNote: null,
		objectiveTolerance: 0
	};
	return { db: ctx.db, batch: empty };
}
