/**
 * What runs inside a page worker thread (page-pool.ts): one page read (page-read.ts). The thread
 * loads this module, and so the parser, before it takes its first page.
 */
import { cpuTask } from '../../src/shared/cpu-task.ts';
import { readPage, type PageInput } from './page-read.ts';

export default cpuTask((input: PageInput) => readPage(input));
