/**
 * The TypeScript examples of a README: the body of every fenced block opened with ```ts, in order.
 * @param markdown the README's text
 */
export function readmeExamples(markdown: string): string[] {
  const blocks: string[] = [];
  const fence = /^```ts\n([\s\S]*?)^```$/gm;
  for (let match = fence.exec(markdown); match !== null; match = fence.exec(markdown)) blocks.push(match[1] as string);
  return blocks;
}
