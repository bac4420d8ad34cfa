/**
 * A large rota for the storage test and the bench: nightly shifts (17:00–09:00 London time) for
 * primary, secondary, an additional AMHP and the manager, day shifts at weekends and on bank
 * holidays, and cover now and then, from 1 January 2025 until the count is reached (10,000 is
 * about six years, so twelve clock changes). Also a directory store on dynalite to put it in.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { startEmulators, type Emulators } from '../../infra/local/emulators.ts';
import { provision } from '../../infra/local/provision.ts';
import { DynamoDirectoryStore } from '../../shared/adapters/dynamo-directory-store.ts';
import { isBankHoliday } from '../../shared/domain/bank-holidays.ts';
import { toShifts, type ShiftInput } from '../../shared/domain/rota.ts';
import { addDays, localToInstant, weekdayOf } from '../../shared/domain/rota-time.ts';
import type { Position, Shift } from '../../shared/domain/types.ts';

export const TEAM_ID = 'big-edt';
export const amhps = Array.from({ length: 20 }, (_, i) => `amhp-${String(i + 1).padStart(2, '0')}`);
export const managers = ['manager-a', 'manager-b', 'manager-c', 'manager-d'];

export function bigRota(count = 10_000): Shift[] {
  const inputs: ShiftInput[] = [];
  const add = (date: string, start: string, end: string, staffId: string, position: Position, extra: Partial<ShiftInput> = {}) => {
    const endDate = end <= start ? addDays(date, 1) : date;
    inputs.push({ staffId, position, start: localToInstant(date, start).toISOString(), end: localToInstant(endDate, end).toISOString(), ...extra });
  };
  for (let day = 0; inputs.length < count; day++) {
    const date = addDays('2025-01-01', day);
    const pick = (offset: number) => amhps[(day * 3 + offset) % amhps.length] ?? 'amhp-01';
    add(date, '17:00', '09:00', pick(0), 'primary');
    add(date, '17:00', '09:00', pick(1), 'secondary');
    add(date, '17:00', '09:00', pick(2), 'additional');
    add(date, '17:00', '09:00', managers[Math.floor(day / 7) % managers.length] ?? 'manager-a', 'manager');
    if (['sat', 'sun'].includes(weekdayOf(date)) || isBankHoliday(date)) {
      add(date, '09:00', '17:00', pick(5), 'primary');
      add(date, '09:00', '17:00', pick(6), 'secondary');
      add(date, '09:00', '17:00', managers[(Math.floor(day / 7) + 1) % managers.length] ?? 'manager-a', 'manager');
    }
    if (day % 10 === 3) add(date, '23:00', '03:00', pick(7), 'primary', { kind: 'override', covers: pick(0) });
  }
  return toShifts(TEAM_ID, inputs.slice(0, count));
}

export interface DynaliteDirectory {
  store: DynamoDirectoryStore;
  /** Every command the store sent, by name (QueryCommand, GetCommand, …). */
  commands: string[];
  emulators: Emulators;
  stop(): Promise<void>;
}

/** The directory table as the local runtime provisions it, and a store that counts its calls. */
export async function directoryOnDynalite(): Promise<DynaliteDirectory> {
  const region = 'eu-west-2';
  const emulators = await startEmulators(region);
  const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
  const dynamodb = new DynamoDBClient({ region, endpoint: emulators.dynamodbEndpoint, credentials });
  const sqs = new SQSClient({ region, endpoint: emulators.messagingEndpoint, credentials });
  const sns = new SNSClient({ region, endpoint: emulators.messagingEndpoint, credentials });
  const resources = await provision({ dynamodb, sqs, sns }, 'rota-bench');
  const db = DynamoDBDocumentClient.from(dynamodb, { marshallOptions: { removeUndefinedValues: true } });
  const commands: string[] = [];
  db.middlewareStack.add(
    (next, context) => (args) => {
      commands.push(String(context.commandName));
      return next(args);
    },
    { step: 'initialize', name: 'countCommands' },
  );
  return {
    store: new DynamoDirectoryStore(db, resources.tableNames.directory),
    commands,
    emulators,
    async stop() {
      dynamodb.destroy();
      sqs.destroy();
      sns.destroy();
      await emulators.stop();
    },
  };
}
