import type { Command } from '../context';
import { cliScope } from '../context';
import { CliError, optionString, parseArgs } from '../args';
import { printJson } from '../io';
import { CLI_ACTOR } from '../../lib/server/audit';
import { lockReadiness, lockResults, reopenResults } from '../../lib/server/services/results';
import { Refusal } from '../../lib/server/refusal';

/**
 * `lock [--reason TEXT]`: locks the batch's results as the shortlist page does. With items still
 * open (sheets not started or in draft, undecided soft conflicts, abnormal totals without an
 * explanation) the reason is required, and recorded with the lock.
 */
export const lockCommand: Command = {
	name: 'lock',
	summary: '锁定评审结果（与拟推荐名单页相同）；尚有未完成事项时须以 --reason 写明理由',
	usage: 'lock [--reason TEXT] [--json]',
	scoped: true,
	run(argv, ctx) {
		const args = parseArgs(argv, { flags: ['json'], values: ['reason'] });
		const reason = optionString(args, 'reason')?.trim();
		const scope = cliScope(ctx);
		try {
			const readiness = lockReadiness(scope);
			if (readiness.total > 0 && !reason) {
				throw new CliError(`尚有 ${readiness.total} 项未完成事项（未开始或未提交的评分表、未认定的回避、缺少的异常分说明），请用 --reason 写明锁定理由`);
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
