import type { parseWith } from "@bernstein/core";

/**
 * A zod schema, named through core's `parseWith` so this package needs no zod dependency of
 * its own: any zod type core accepts is accepted here.
 */
export type Schema = Parameters<typeof parseWith>[0];

/** The output type of a schema (what `z.infer` gives). */
export type Infer<S extends Schema> = ReturnType<typeof parseWith<S>>;
