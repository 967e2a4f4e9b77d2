/** Marks a switch as exhaustive: a case left out is a type error. */
export function assertNever(value: never): never {
  throw new Error(`unhandled value ${JSON.stringify(value)}`);
}
