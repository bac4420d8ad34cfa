/**
 * DynamoDB refuses a key value that is empty or over these sizes (UTF-8 bytes) with a
 * ValidationException (and a string that is not well-formed UTF-16 cannot be sent as UTF-8). Ids reach keys from paths, tokens and messages; one too long to be a key
 * names no stored item, so a read of it finds nothing rather than failing the request.
 */
export const MAX_PARTITION_KEY_BYTES = 2048;
export const MAX_SORT_KEY_BYTES = 1024;

const fits = (value: string, limit: number) => value.length > 0 && value.isWellFormed() && Buffer.byteLength(value) <= limit;

export const canBeKey = (key: { pk: string; sk?: string }) =>
  fits(key.pk, MAX_PARTITION_KEY_BYTES) && (key.sk === undefined || fits(key.sk, MAX_SORT_KEY_BYTES));
