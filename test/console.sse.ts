/**
 * Reads a server-sent event stream (GET /api/runs/:id/events) to its end. Not a test file.
 */
import type { RunEvent } from '../server/run-manager.js';

export async function readRunEvents(res: Response): Promise<RunEvent[]> {
  const events: RunEvent[] = [];
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value;
    let cut: number;
    while ((cut = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      const data = block.split('\n').find((l) => l.startsWith('data: '));
      if (data) events.push(JSON.parse(data.slice(6)) as RunEvent);
    }
  }
  return events;
}
