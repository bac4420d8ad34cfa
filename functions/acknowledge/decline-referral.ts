import { lambdaEntry } from '../commons/wiring.ts';
import { answerHandler } from './answer.ts';

export const makeHandler = answerHandler('decline');
export const handler = lambdaEntry(makeHandler);
