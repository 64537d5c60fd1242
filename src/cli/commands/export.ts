export async function exportCommand(): Promise<number> { return 2; }
