/**
 * Reading a file named on the command line (a labelled data set, a category map): its own module so
 * that every reader can use it without importing the others (readers.ts joins gold rows from the
 * SemEval files, and semeval.ts reads them).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { InputError, inBoth, type ErrorText } from '../../core/errors.js';

/**
 * Reads a whole file, with an InputError when it is missing or a folder. `what` names the file in
 * the message (`{ en: 'sentiment file', zh: '情感文件' }`; a plain string serves both languages).
 */
export function readInputFile(path: string, what: ErrorText): Buffer {
  const w = inBoth(what);
  // A name starting with Latin text (SemEval 文件) is set off from the Chinese before it.
  const zhName = /^[\x21-\x7e]/.test(w.zh) ? ` ${w.zh}` : w.zh;
  if (!existsSync(path))
    throw new InputError({ en: `${w.en} not found: ${path}; check the path`, zh: `找不到${zhName}：${path}；请检查路径` });
  if (statSync(path).isDirectory())
    throw new InputError({ en: `${w.en} ${path} is a folder; pass a file`, zh: `${w.zh} ${path} 是文件夹；请指定一个文件` });
  return readFileSync(path);
}
