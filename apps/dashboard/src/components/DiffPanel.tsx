import type { Attempt } from "@bernstein/core";
import { useMemo, useState } from "react";
import { Diff, type FileData, Hunk, parseDiff, tokenize } from "react-diff-view";
import "react-diff-view/style/index.css";
import { client } from "../api.js";
import { useLoad } from "../hooks/use-load.js";
import { highlighter, languageOf } from "../lib/highlight.js";
import { ErrorNotice } from "./ErrorNotice.js";
import { Scrollable } from "./Scrollable.js";

type ViewType = "unified" | "split";

/** The attempt's patch as a diff (react-diff-view), unified or side by side, with syntax colours. */
export function DiffPanel({ attempt }: { attempt: Attempt }) {
  const key = attempt.patchKey;
  const patch = useLoad(async () => (key ? new TextDecoder().decode(await client.getArtifact(key)) : null), [key]);
  const [view, setView] = useState<ViewType>(() =>
    window.matchMedia("(min-width: 60rem)").matches ? "split" : "unified",
  );
  const files = useMemo(() => (patch.data ? parseDiff(patch.data) : []), [patch.data]);
  if (!key) return <p>Attempt {attempt.n} has no patch (yet).</p>;
  if (patch.error) return <ErrorNotice error={patch.error} what="reading the patch failed" />;
  if (patch.data === undefined) return <p aria-busy="true">Loading the patch…</p>;
  if (files.length === 0) return <p>The patch changes nothing.</p>;
  return (
    <div className="diff-panel">
      <fieldset className="segmented">
        <legend>Diff view</legend>
        {(["unified", "split"] as const).map((v) => (
          <label key={v}>
            <input type="radio" name="diff-view" value={v} checked={view === v} onChange={() => setView(v)} />
            {v === "split" ? "Side by side" : "Unified"}
          </label>
        ))}
      </fieldset>
      {files.map((file) => (
        <FileDiff key={`${file.oldPath}->${file.newPath}`} file={file} view={view} />
      ))}
    </div>
  );
}

function FileDiff({ file, view }: { file: FileData; view: ViewType }) {
  const path = file.type === "delete" ? file.oldPath : file.newPath;
  const language = languageOf(path);
  const tokens = useMemo(() => {
    if (!language || file.hunks.length === 0) return undefined;
    return tokenize(file.hunks, { highlight: true, refractor: highlighter, language });
  }, [file.hunks, language]);
  const added = file.hunks.reduce((n, h) => n + h.changes.filter((c) => c.type === "insert").length, 0);
  const removed = file.hunks.reduce((n, h) => n + h.changes.filter((c) => c.type === "delete").length, 0);
  return (
    <section className="file-diff" data-file={path}>
      <h4>
        <span className="mono">{path}</span> <span className="sub">({file.type})</span>{" "}
        <span className="tone-ok">+{added}</span> <span className="tone-bad">−{removed}</span>
      </h4>
      {file.isBinary ? (
        <p>Binary file.</p>
      ) : (
        <Scrollable className="diff-scroll" label={`Changes to ${path}`}>
          <Diff viewType={view} diffType={file.type} hunks={file.hunks} tokens={tokens}>
            {(hunks) => hunks.map((hunk) => <Hunk key={hunk.content} hunk={hunk} />)}
          </Diff>
        </Scrollable>
      )}
    </section>
  );
}
