/** Entry point of the `cellwise` command; returns the exit status. */
export async function main(argv: string[]): Promise<number> {
  process.stderr.write(`cellwise: not implemented yet: ${argv.join(' ')}\n`);
  return 2;
}
