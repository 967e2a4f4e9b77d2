// Which fields hold a value that cannot be used, so Play and Step can say why they wait instead
// of training on the old value the field shows no more. Each NumberField reports itself here
// while its text is invalid; the store reads the first problem.

export interface FieldProblem {
  /** Unique per field instance. */
  key: string;
  /** The field's label, as the page shows it ("Learning rate"). */
  label: string;
  /** What is wrong, as the field says it ("must be at least 0.00001"). */
  problem: string;
  /** Moves keyboard focus to the field. */
  focus: () => void;
}

/** "Fix Learning rate: must be at least 0.00001". */
export function fixText(field: Pick<FieldProblem, "label" | "problem">): string {
  return `Fix ${field.label}: ${field.problem}`;
}

export class FieldProblems {
  /** Fields with a problem, in the order they reported it. */
  list = $state.raw<FieldProblem[]>([]);
  private listeners = new Set<() => void>();

  /** The first field with a problem, or null when every field is valid. */
  get first(): FieldProblem | null {
    return this.list[0] ?? null;
  }

  /** Reports (or with null, withdraws) the problem of the field `key`. */
  set(key: string, problem: FieldProblem | null): void {
    const at = this.list.findIndex((p) => p.key === key);
    if (problem === null) {
      if (at < 0) return;
      this.list = this.list.filter((p) => p.key !== key);
    } else if (at >= 0) {
      this.list = this.list.map((p, i) => (i === at ? problem : p));
    } else {
      this.list = [...this.list, problem];
    }
    for (const listener of this.listeners) listener();
  }

  /** Calls `listener` after every change; returns the function that stops it. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/** The page's one registry (NumberField writes it, the store reads it). */
export const fieldProblems = new FieldProblems();
