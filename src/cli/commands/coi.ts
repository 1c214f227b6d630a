import { cliScopeOrEmpty, type Command } from '../context';
import { externalId } from '../../lib/server/scope';
import { parseArgs } from '../args';
import { printJson } from '../io';
import { computeConflicts, conflictRows } from '../../lib/server/services/batch-state';
import { conflictLabel } from '../../lib/domain/conflicts';

export const coiCommand: Command = {
	name: 'coi',
	summary: '利益冲突：自动识别的和专家申报的回避关系',
	usage: 'coi [--json]',
	scoped: true,
	run(argv, ctx) {
		const { io } = ctx;
		const args = parseArgs(argv, { flags: ['json'] });
		const scope = cliScopeOrEmpty(ctx);
		const ext = (id: string) => externalId(id, scope.batch.id);
		const state = computeConflicts(scope);
		const rows = conflictRows(state).map((r) => ({ ...r, applicationId: ext(r.applicationId) }));
		if (args.options.has('json')) {
			printJson(io, { conflicts: rows });
			return 0;
		}
		for (const c of state.conflicts.filter((x) => x.review !== 'dismissed')) {
			const kind = c.hard ? '必须回避' : c.review === 'confirmed' ? '已确认回避' : '待省厅认定';
			io.out(`${ext(c.applicationId)}\t${c.expertId}\t${c.code} ${conflictLabel(c.code)}（${kind}）：${c.matched}`);
		}
		io.out(`共 ${rows.length} 条回避关系`);
		return 0;
	}
};
