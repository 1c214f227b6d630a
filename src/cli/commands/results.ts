import { cliScopeOrEmpty, type Command } from '../context';
import { externalId } from '../../lib/server/scope';
import { CliError, optionString, parseArgs } from '../args';
import { printJson } from '../io';
import { computeResults } from '../../lib/server/services/batch-state';
import { METHODS, FLAG_LABELS, round2, toResultsJson, type Method } from '../../lib/domain/aggregation';
import { occupationShort } from '../../lib/domain/occupations';

export const resultsCommand: Command = {
	name: 'results',
	summary: '汇总评分并排名；--method 覆盖批次设置（trimmed、mean、median、zscore）',
	usage: 'results [--method M] [--json]',
	scoped: true,
	run(argv, ctx) {
		const { io } = ctx;
		const args = parseArgs(argv, { flags: ['json'], values: ['method'] });
		const method = optionString(args, 'method');
		if (method !== undefined && !(METHODS as readonly string[]).includes(method)) {
			throw new CliError(`--method 应为 ${METHODS.join('、')} 之一，收到 "${method}"`);
		}
		const scope = cliScopeOrEmpty(ctx);
		const ext = (id: string) => externalId(id, scope.batch.id);
		const { results } = computeResults(scope, method as Method | undefined);
		if (args.options.has('json')) {
			const json = toResultsJson(results);
			for (const g of json.groups) for (const a of g.applications) a.id = ext(a.id);
			printJson(io, json);
			return 0;
		}
		io.out(`汇总方法：${results.method}`);
		for (const g of results.groups) {
			io.out(`\n${occupationShort(g.occupation)} · ${g.type === 'training' ? '培训机构' : '评价机构'}`);
			for (const a of g.applications) {
				const flags = a.flags.map((f) => FLAG_LABELS[f]).join('、');
				io.out(
					`  ${String(a.rank ?? '—').padStart(3)}  ${ext(a.id).padEnd(14)} ${a.score == null ? '   —  ' : round2(a.score).toFixed(2).padStart(6)}  n=${a.n}  ${a.proposed ? '拟推荐' : '      '}  ${flags}`
				);
			}
		}
		return 0;
	}
};
