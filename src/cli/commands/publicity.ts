import type { Command } from '../context';
import { cliScope } from '../context';
import { CliError, optionString, parseArgs } from '../args';
import { printJson } from '../io';
import { CLI_ACTOR } from '../../lib/server/audit';
import { openPublicity } from '../../lib/server/services/publicity';
import { Refusal } from '../../lib/server/refusal';

/** `publicity open --start YYYY-MM-DD [--days N]`: the 公示 period of a locked batch (docs/bundle.md). */
export const publicityCommand: Command = {
	name: 'publicity',
	summary: '公示：结果锁定后按工作日（法定节假日与调休）计算公示期',
	usage: 'publicity open --start YYYY-MM-DD [--days N] [--json]',
	scoped: true,
	run(argv, ctx) {
		const [sub, ...rest] = argv;
		if (sub !== 'open') throw new CliError('用法：publicity open --start YYYY-MM-DD [--days N] [--json]');
		const args = parseArgs(rest, { flags: ['json'], values: ['start', 'days'] });
		const start = optionString(args, 'start');
		if (start === undefined) throw new CliError('用法：publicity open --start YYYY-MM-DD [--days N]（缺少 --start）');
		const scope = cliScope(ctx);
		try {
			const period = openPublicity(scope, { start, days: optionString(args, 'days') }, CLI_ACTOR);
			if (args.options.has('json')) printJson(ctx.io, period);
			else ctx.io.out(`批次 ${scope.batch.id} 公示期：${period.start} 至 ${period.end}（${period.workingDays} 个工作日）`);
			return 0;
		} catch (e) {
			if (e instanceof Refusal) throw new CliError(e.message);
			throw e;
		}
	}
};
