/** Minimal argument parsing for the operator command line: `--flag`, `--key value`, `--key=value`. */
export class CliError extends Error {}

export type ParsedArgs = { positional: string[]; options: Map<string, string | true> };

/**
 * `values`: options that take a value; `flags`: options without one; `positional`: how many
 * plain arguments the command takes (none unless given). Anything else is an error naming it.
 */
export function parseArgs(argv: string[], spec: { values?: string[]; flags?: string[]; positional?: number }): ParsedArgs {
	const values = new Set(spec.values ?? []);
	const flags = new Set(spec.flags ?? []);
	const positional: string[] = [];
	const options = new Map<string, string | true>();
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i];
		if (a === '--') {
			positional.push(...argv.slice(i + 1));
			break;
		}
		if (a.startsWith('--')) {
			const eq = a.indexOf('=');
			const name = eq > 0 ? a.slice(2, eq) : a.slice(2);
			if (flags.has(name)) {
				if (eq > 0) throw new CliError(`选项 --${name} 不带值`);
				options.set(name, true);
			} else if (values.has(name)) {
				const v = eq > 0 ? a.slice(eq + 1) : argv[++i];
				if (v === undefined || (eq < 0 && v.startsWith('--'))) throw new CliError(`选项 --${name} 需要一个值`);
				options.set(name, v);
			} else {
				throw new CliError(`未知选项 --${name}`);
			}
		} else {
			positional.push(a);
		}
	}
	const max = spec.positional ?? 0;
	if (positional.length > max) throw new CliError(`多余的参数 "${positional[max]}"`);
	return { positional, options };
}

export function optionString(args: ParsedArgs, name: string): string | undefined {
	const v = args.options.get(name);
	return typeof v === 'string' ? v : undefined;
}

export function optionInt(args: ParsedArgs, name: string, min: number, max: number): number | undefined {
	const v = optionString(args, name);
	if (v === undefined) return undefined;
	if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) throw new CliError(`选项 --${name} 应为 ${min}–${max} 之间的整数，收到 "${v}"`);
	return Number(v);
}
