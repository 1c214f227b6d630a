import type { Command } from '../context';
import { cliScope } from '../context';
import { CliError, optionString, parseArgs } from '../args';
import { printJson } from '../io';
import { CLI_ACTOR } from '../../lib/server/audit';
import { lockReadiness, lockResults, reopenResults } from '../../lib/server/services/results';
import { Refusal } from '../../lib/server/refusal';
import { requirePhase } from '../../lib/server/scope';
import { canLock } from '../../lib/domain/phases';
import { computeResults } from '../../lib/server/services/batch-state';
import { unsignedReports } from '../../lib/server/services/review-report';

/**
 * `lock [--reason TEXT]`: locks the batch's results as the shortlist page does. With items still
 * open (sheets not started or in draft, undecided soft conflicts, abnormal totals without an
 * explanation) or a group's review report not fully signed (missing or stale signatures), the
 * reason is required: exit 1 naming what is open and whose signatures are missing. Given, it is
 * recorded with the lock (and, for unsigned reports, stored in the lock note the report prints).
 */
export const lockCommand: Command = {
	name: 'lock',
	summary: '锁定评审结果（与拟推荐名单页相同）；尚有未完成事项或评审报告未全部签字时须以 --reason 写明理由',
	usage: 'lock [--reason TEXT] [--json]',
	scoped: true,
	run(argv, ctx) {
		const args = parseArgs(argv, { flags: ['json'], values: ['reason'] });
		const reason = optionString(args, 'reason')?.trim();
		const scope = cliScope(ctx);
		try {
			requirePhase(scope.db, scope, canLock, '评审结果已经锁定');
			const state = computeResults(scope);
			const readiness = lockReadiness(scope, state);
			const unsigned = unsignedReports(scope, state);
			if ((readiness.total > 0 || unsigned.missing.length > 0) && !reason) {
				const why = [
					...(readiness.total > 0 ? [`尚有 ${readiness.total} 项未完成事项（未开始或未提交的评分表、未认定的回避、缺少的异常分说明）`] : []),
					...(unsigned.missing.length > 0 ? [`评审报告尚未全部签字，缺少签字：${unsigned.text}`] : [])
				];
				throw new CliError(`${why.join('；')}。请用 --reason 写明锁定理由`);
			}
			const hash = lockResults(scope, CLI_ACTOR, { confirmed: readiness.total > 0, reason: reason || null });
			if (args.options.has('json')) printJson(ctx.io, { locked: true, hash });
			else ctx.io.err(`已锁定批次 ${scope.batch.id} 的评审结果（SHA-256 ${hash}）`);
			return 0;
		} catch (e) {
			if (e instanceof Refusal) throw new CliError(e.message);
			throw e;
		}
	}
};

export const unlockCommand: Command = {
	name: 'unlock',
	summary: '重新开放已锁定的评审结果（须写明理由）',
	usage: 'unlock --reason TEXT [--json]',
	scoped: true,
	run(argv, ctx) {
		const args = parseArgs(argv, { flags: ['json'], values: ['reason'] });
		const reason = optionString(args, 'reason');
		if (!reason?.trim()) throw new CliError('用法：unlock --reason TEXT（重新开放须写明理由）');
		const scope = cliScope(ctx);
		try {
			reopenResults(scope, reason, CLI_ACTOR);
		} catch (e) {
			if (e instanceof Refusal) throw new CliError(e.message);
			throw e;
		}
		if (args.options.has('json')) printJson(ctx.io, { locked: false });
		else ctx.io.err(`已重新开放批次 ${scope.batch.id} 的评审结果`);
		return 0;
	}
};
