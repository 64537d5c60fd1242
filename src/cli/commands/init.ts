export async function initCommand(): Promise<number> { return 2; }
