import { cliScopeOrEmpty, type Command } from '../context';
import { externalId } from '../../lib/server/scope';
import { parseArgs } from '../args';
import { printJson } from '../io';
import { computeFindings } from '../../lib/server/services/batch-state';
import { findingLabel } from '../../lib/domain/formal-check';

export const checkCommand: Command = {
	name: 'check',
	summary: '形式审查：列出每项申报的审查发现',
	usage: 'check [--json]',
	scoped: true,
	run(argv, ctx) {
		const { io } = ctx;
		const args = parseArgs(argv, { flags: ['json'] });
		const scope = cliScopeOrEmpty(ctx);
		const state = computeFindings(scope);
		const applications = state.applications.map(({ app }) => ({
			key: app.id,
			id: externalId(app.id, scope.batch.id),
			findings: (state.findings.get(app.id) ?? []).map((f) => ({ code: f.code, severity: f.severity, detail: f.detail }))
		}));
		if (args.options.has('json')) {
			printJson(io, { applications: applications.map(({ id, findings }) => ({ id, findings })) });
			return 0;
		}
		let blocking = 0;
		for (const a of applications) {
			const overridden = state.overrides.get(a.key);
			io.out(`${a.id}${a.findings.length ? '' : '  无问题'}`);
			for (const f of a.findings) {
				const o = overridden?.get(f.code);
				if (f.severity === 'blocking' && !o) blocking++;
				io.out(`  [${f.severity === 'blocking' ? '否决' : '提示'}] ${f.code} ${findingLabel(f.code)}：${f.detail}${o ? `（已由省厅认定：${o.reason}）` : ''}`);
			}
		}
		io.out(`共 ${applications.length} 项申报，未处理的否决性问题 ${blocking} 个`);
		return 0;
	}
};
