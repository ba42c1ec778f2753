/**
 * `voc scheduler`: owns the job schedulers the config declares (targets and reports with
 * `schedule:`). It installs them at start and again on every `resync()` (SIGHUP in the CLI), and
 * otherwise only stays connected: BullMQ's workers fire the jobs, so a scheduler that is down
 * delays nothing that is already installed. Running two at once is harmless (see schedules.ts).
 */
import type { ScheduleDef, SyncResult } from './schedules.js';
import { syncSchedules } from './schedules.js';
import { openQueues } from './queues.js';
import { closeRedis, createRedis, type QueueEnv } from './redis.js';

export interface RunningScheduler {
  /** Re-reads the definitions and makes the installed schedulers match them. */
  resync(): Promise<SyncResult>;
  close(): Promise<void>;
}

/** Connects, syncs `loadDefs()` once, and returns the handle with the first sync's result. */
export async function startScheduler(env: QueueEnv, loadDefs: () => ScheduleDef[]): Promise<{ scheduler: RunningScheduler; first: SyncResult }> {
  const connection = createRedis(env);
  const queues = openQueues(connection, env.prefix);
  // One sync at a time in this process; a SIGHUP during a sync waits for it.
  let chain: Promise<unknown> = Promise.resolve();
  const resync = () => {
    const next = chain.then(() => syncSchedules(queues, loadDefs()));
    chain = next.catch(() => undefined);
    return next;
  };
  try {
    const first = await resync();
    return {
      first,
      scheduler: {
        resync,
        async close() {
          await chain;
          await queues.close();
          closeRedis(connection);
        },
      },
    };
  } catch (err) {
    await queues.close();
    closeRedis(connection);
    throw err;
  }
}
