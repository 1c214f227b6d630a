import type { Command } from '../context';
import { parseArgs } from '../args';
import { printJson } from '../io';
import { computeConflicts, conflictRows } from '../../lib/server/services/batch-state';
import { conflictLabel } from '../../lib/domain/conflicts';

export const coiCommand: Command = {
	name: 'coi',
	summary: '利益冲突：自动识别的和专家申报的回避关系',
	usage: 'coi [--json]',
	run(argv, { db, io }) {
		const args = parseArgs(argv, { flags: ['json'] });
		const state = computeConflicts(db);
		const rows = conflictRows(state);
		if (args.options.has('json')) {
			printJson(io, { conflicts: rows });
			return 0;
		}
		for (const c of state.conflicts.filter((x) => x.review !== 'dismissed')) {
			const kind = c.hard ? '必须回避' : c.review === 'confirmed' ? '已确认回避' : '待省厅认定';
			io.out(`${c.applicationId}\t${c.expertId}\t${c.code} ${conflictLabel(c.code)}（${kind}）：${c.matched}`);
		}
		io.out(`共 ${rows.length} 条回避关系`);
		return 0;
	}
};
