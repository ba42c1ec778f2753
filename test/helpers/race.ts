/**
 * Runs a fixture script once per entry of `argsPerChild`, side by side: each prints "ready" once
 * loaded and starts its work on the first line of stdin, which is sent to all of them only when
 * every one is ready, so they really overlap. Resolves with what each printed after "ready".
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { ROOT } from './cli.js';

export async function raceChildren(script: string, argsPerChild: string[][]): Promise<string[]> {
  const children = argsPerChild.map((args) => spawn(process.execPath, [join(ROOT, script), ...args], { stdio: ['pipe', 'pipe', 'inherit'] }));
  const outputs = children.map((child) => {
    const lines: string[] = [];
    const ready = new Promise<void>((res) => createInterface({ input: child.stdout! }).on('line', (l) => (l === 'ready' ? res() : lines.push(l))));
    const done = new Promise<string>((res) => child.once('exit', () => res(lines.join('\n'))));
    return { ready, done };
  });
  await Promise.all(outputs.map((o) => o.ready));
  for (const child of children) child.stdin!.end('go\n');
  return Promise.all(outputs.map((o) => o.done));
}
