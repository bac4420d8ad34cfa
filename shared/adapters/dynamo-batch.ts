/**
 * A batch read or write sent again with what DynamoDB left unprocessed (it does so under
 * throttling), backing off 50, 100, 200… ms, until nothing is left. Past `attempts` sends it fails,
 * for the caller's retry: a batch half done must not pass for done.
 */
export async function untilProcessed<T>(
  batch: T[],
  send: (batch: T[]) => Promise<T[] | undefined>,
  options: { attempts: number; what: string },
): Promise<void> {
  let left: T[] | undefined = batch;
  for (let attempt = 0; left && left.length > 0; attempt++) {
    if (attempt === options.attempts) throw new Error(`DynamoDB left ${options.what} unprocessed ${options.attempts} times; failing for a retry`);
    if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 2 ** attempt * 25));
    left = await send(left);
  }
}
