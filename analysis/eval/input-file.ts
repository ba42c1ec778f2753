/**
 * Reading a file named on the command line (a labelled data set, a category map): its own module so
 * that every reader can use it without importing the others (readers.ts joins gold rows from the
 * SemEval files, and semeval.ts reads them).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { InputError } from '../../core/errors.js';

/** Reads a whole file, with an InputError when it is missing or a folder. */
export function readInputFile(path: string, what: string): Buffer {
  if (!existsSync(path)) throw new InputError(`${what} not found: ${path}; check the path`);
  if (statSync(path).isDirectory()) throw new InputError(`${what} ${path} is a folder; pass a file`);
  return readFileSync(path);
}
