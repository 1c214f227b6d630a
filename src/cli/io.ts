/** What a command writes to; tests pass buffers, the real command line passes process streams. */
export type Io = { out: (text: string) => void; err: (text: string) => void };

export const processIo: Io = {
	out: (t) => process.stdout.write(t.endsWith('\n') ? t : t + '\n'),
	err: (t) => process.stderr.write(t.endsWith('\n') ? t : t + '\n')
};

export function bufferIo(): Io & { stdout: string[]; stderr: string[] } {
	const stdout: string[] = [];
	const stderr: string[] = [];
	return { stdout, stderr, out: (t) => stdout.push(t), err: (t) => stderr.push(t) };
}

export function printJson(io: Io, value: unknown): void {
	io.out(JSON.stringify(value, null, 2));
}
