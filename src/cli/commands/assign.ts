import { cliScope, type Command } from '../context';
import { defaultBatchRow, externalId } from '../../lib/server/scope';
import { CliError, optionInt, optionString, parseArgs } from '../args';
import { printJson } from '../io';
import { CLI_ACTOR } from '../../lib/server/audit';
import { runDraw } from '../../lib/server/services/assignment';
import { AssignmentError, publishAssignments } from '../../lib/server/services/assignment-admin';
import { isOccupationKey } from '../../lib/domain/occupations';
import { Refusal } from '../../lib/server/refusal';

export const assignCommand: Command = {
	name: 'assign',
	summary: '抽取评审专家：为每项不足 N 人的申报补足专家（负载均衡，可复现）',
	usage: 'assign [--per-application N] [--seed S] [--occupation KEY] [--publish] [--json]',
	scoped: true,
	run(argv, ctx) {
		const { db, io } = ctx;
		const args = parseArgs(argv, { flags: ['json', 'publish'], values: ['per-application', 'seed', 'occupation'] });
		if (args.positional.length) throw new CliError(`多余的参数 "${args.positional[0]}"`);
		const perApplication = optionInt(args, 'per-application', 1, 50);
		const seed = optionString(args, 'seed');
		if (seed !== undefined && (seed.length === 0 || seed.length > 100)) throw new CliError('--seed 应为 1–100 个字符');
		const occupation = optionString(args, 'occupation');
		if (occupation !== undefined && !isOccupationKey(occupation)) throw new CliError(`--occupation 不是有效的职业键 "${occupation}"`);
		// No batch yet means no application either (every application belongs to the batch): nothing
		// to draw, which is a success with empty lists rather than an error.
		if (!ctx.batchId && !defaultBatchRow(db)) {
			if (args.options.has('json')) printJson(io, { assignments: [], unfilled: [] });
			else io.out('尚未建立评审批次，没有需要抽取专家的申报');
			return 0;
		}
		const scope = cliScope(ctx);
		const ext = (id: string) => externalId(id, scope.batch.id);
		const r = runDraw(scope, { perApplication, seed, occupation: occupation ?? null }, CLI_ACTOR);
		// --publish: make the roster (this draw included) visible to the experts, as the office's publish button does.
		if (args.options.has('publish')) {
			try {
				publishAssignments(scope, CLI_ACTOR);
			} catch (e) {
				if (!(e instanceof Refusal)) throw e;
				io.err(`未发布：${e.message}`);
			}
		}
		if (args.options.has('json')) {
			printJson(io, {
				assignments: r.assignments.map((a) => ({ applicationId: ext(a.applicationId), expertId: a.expertId })),
				unfilled: r.unfilled.map((u) => ({ applicationId: ext(u.applicationId), missing: u.missing }))
			});
		} else {
			io.out(`抽取完成（种子 ${r.seed}，每项 ${r.perApplication} 人）：新增分配 ${r.assignments.length} 人次，专家最大负载 ${r.maxLoad}`);
			for (const u of r.unfilled) io.out(`  未配满 ${ext(u.applicationId)}：缺 ${u.missing} 人。${u.reason}`);
		}
		if (perApplication !== undefined && perApplication % 2 === 0) io.err('提示：每项专家人数为偶数时，去掉最高最低分后取平均的规则仍适用，但建议使用奇数（如 5 人）。');
		return 0;
	}
};
