import type { BernsteinError, ErrorJson } from "@bernstein/core";

/**
 * An API error as the CLI prints it (`code: message`). A missing or ended session says how
 * to sign in again instead.
 */
export function ErrorNotice({ error, what }: { error: BernsteinError; what?: string }) {
  if (error.code === "unauthorized") return <SignInNotice />;
  return (
    <p className="error" role="alert">
      {what ? `${what}: ` : ""}
      <code>
        error: {error.code}: {error.message}
      </code>
    </p>
  );
}

/** What a browser without a live session sees. */
export function SignInNotice() {
  return (
    <section className="notice" aria-labelledby="signin-title">
      <h1 id="signin-title">Sign in to the dashboard</h1>
      <p>
        This browser has no live session (it expired after 12 hours, or you signed out). In your repository, run{" "}
        <code>bernstein dashboard</code>: it opens a one-time login link.
      </p>
    </section>
  );
}

/** The error a run or task ended with (`code: message`). */
export function ErrorLine({ error }: { error: ErrorJson }) {
  return (
    <p className="error">
      <code>
        {error.code}: {error.message}
      </code>
    </p>
  );
}
