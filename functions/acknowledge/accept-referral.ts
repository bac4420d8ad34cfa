import { lambdaEntry } from '../commons/wiring.ts';
import { answerHandler } from './answer.ts';

export const makeHandler = answerHandler('accept');
export const handler = lambdaEntry(makeHandler);
