import { z } from "zod";
import { Sha256 } from "./common.js";

/** Git file modes a snapshot keeps: regular, executable, symlink. */
export const FileMode = z.enum(["100644", "100755", "120000"]);
export type FileMode = z.infer<typeof FileMode>;

export const ManifestEntry = z.strictObject({
  sha256: Sha256,
  mode: FileMode,
  size: z.number().int().nonnegative(),
});
export type ManifestEntry = z.infer<typeof ManifestEntry>;

/** A repository tree: repo-relative POSIX path -> content hash, mode and size. */
export const Manifest = z.record(z.string().min(1).max(4_096), ManifestEntry);
export type Manifest = z.infer<typeof Manifest>;
