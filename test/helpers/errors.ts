/** The error a call throws, as each output language prints it: for exact bilingual assertions. */
import { errorText } from '../../core/errors.js';

export function failure(fn: () => unknown): { en: string; zh: string } {
  try {
    fn();
  } catch (err) {
    return { en: errorText(err as Error, 'en'), zh: errorText(err as Error, 'zh-CN') };
  }
  throw new Error('expected an error');
}
