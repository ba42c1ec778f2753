/**
 * `voc users add|list|remove` and `voc tokens create|revoke`: the accounts of the analyst console
 * (issue 7). Registered on the main program by `registerUserCommands`.
 */
import type { Command } from 'commander';
import type { VocConfig } from '../core/config.js';
import type { Locale } from '../core/types.js';
import type { App } from './app.js';

export interface UserCommandContext {
  readConfig(): VocConfig;
  openApp(config: VocConfig): Promise<App>;
  locale(config?: VocConfig): Locale;
}

/** Adds the `users` and `tokens` command groups to `program`. */
export function registerUserCommands(_program: Command, _ctx: UserCommandContext): void {
  // Filled in by issue 7.
}
