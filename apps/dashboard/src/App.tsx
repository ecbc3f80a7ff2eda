import type { ReactNode } from "react";
import { Route, Switch } from "wouter";
import { Header } from "./components/Header.js";
import { RunPage } from "./pages/RunPage.js";
import { RunsPage } from "./pages/RunsPage.js";

/** The dashboard's pages: the runs list, a run (and a task of it), the signed-out page. */
export function App() {
  return (
    <Switch>
      <Route path="/">
        <Plain>
          <RunsPage />
        </Plain>
      </Route>
      {/* One route for a run and its tasks: moving between them keeps the same event stream. */}
      <Route path="/runs/:runId/*?">{(params) => <RunPage runId={params.runId} taskId={taskOf(params["*"])} />}</Route>
      <Route path="/signed-out">
        <Plain>
          <h1>Signed out</h1>
          <p>
            This browser's session has ended. Run <code>bernstein dashboard</code> in your repository for a new login
            link.
          </p>
        </Plain>
      </Route>
      <Route>
        <Plain>
          <h1>No such page</h1>
          <p>
            <a href="/">Back to the runs</a>
          </p>
        </Plain>
      </Route>
    </Switch>
  );
}

function taskOf(rest: string | undefined): string | undefined {
  const match = rest ? /^tasks\/([^/]+)$/.exec(rest) : null;
  return match?.[1];
}

function Plain({ children }: { children: ReactNode }) {
  return (
    <>
      <Header />
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}
